namespace Payments.Workflows.Messaging.Delivery;

/// <summary>What a consumer's second transaction would write once its outgoing messages were sent.</summary>
internal readonly record struct DeliveredMark(Guid[] MessageIds, Guid ConsumerId, long[] SentSequenceNumbers);
