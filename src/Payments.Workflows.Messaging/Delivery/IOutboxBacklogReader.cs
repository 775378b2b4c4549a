namespace Payments.Workflows.Messaging.Delivery;

/// <summary>Counts the outbox and inbox rows of the service's database (two aggregate queries, no locks).</summary>
public interface IOutboxBacklogReader
{
    /// <summary>Reads the backlog now; throws what the database throws.</summary>
    Task<OutboxBacklog> Read(CancellationToken cancellationToken);
}
