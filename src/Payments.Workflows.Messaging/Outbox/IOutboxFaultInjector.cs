namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// Test seam: when registered in the container, the consume path calls it at each <see cref="OutboxFaultPoint"/>.
/// Throwing from it simulates the process dying there (the message is not acknowledged). Not for production use.
/// </summary>
public interface IOutboxFaultInjector
{
    void At(OutboxFaultPoint point, Guid messageId);
}
