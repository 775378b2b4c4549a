namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// What a consumer's second transaction would write once its outgoing messages were sent: the inbox marks and the sent
/// rows to delete, except the kept ones (a subset), which stay until their consumer here has finished (<see cref="VolatileTransport"/>).
/// </summary>
internal readonly record struct DeliveredMark(Guid[] MessageIds, Guid ConsumerId, long[] SentSequenceNumbers, long[] KeptSequenceNumbers);
