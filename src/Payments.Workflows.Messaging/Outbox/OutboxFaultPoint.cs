namespace Payments.Workflows.Messaging.Outbox;

/// <summary>The points of the consume path where a process could die with different consequences.</summary>
public enum OutboxFaultPoint
{
    /// <summary>The effect, its outgoing rows and the inbox mark committed; nothing sent yet.</summary>
    AfterEffectCommitted,

    /// <summary>The outgoing messages reached the broker; the delivered mark is not written yet.</summary>
    AfterOutgoingSent,

    /// <summary>The delivered mark committed; the incoming message is not acknowledged yet.</summary>
    AfterDeliveredMarked,
}
