namespace Payments.Workflows.Messaging.Persistence;

/// <summary>
/// The inbox mark of one message for one consumer. Its row exists only once the consumer's effect has committed
/// (the row is inserted in the same transaction), so a copy that finds it was already handled.
/// </summary>
public sealed class InboxState
{
    public Guid MessageId { get; set; }

    /// <summary>MassTransit's stable id of (consumer or saga, message type, queue).</summary>
    public Guid ConsumerId { get; set; }

    /// <summary>Written on every receive so that the upsert always writes, and so takes the row lock.</summary>
    public Guid LockId { get; set; }

    public DateTime Received { get; set; }

    /// <summary>How many times a copy of the message reached the inbox (committed receives only).</summary>
    public int ReceiveCount { get; set; }

    /// <summary>When the effect committed. The dedupe window runs from here.</summary>
    public DateTime? Consumed { get; set; }

    /// <summary>When every immediate outgoing message of the consumer was handed to the broker.</summary>
    public DateTime? Delivered { get; set; }
}
