namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// A delivery's place in the order the transport delivered it: numbers run 1, 2, 3, … without gaps within a stream
/// (RabbitMQ: the delivery tag within one channel). <paramref name="Stream"/> is compared by reference: a stream
/// ends when that object is collected.
/// </summary>
public readonly record struct DeliverySequence(object Stream, string StreamName, ulong Number);
