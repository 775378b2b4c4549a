using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// On a transport that holds messages in memory only (see <see cref="VolatileTransport"/>): deletes the kept rows of
/// messages an endpoint has finished with, many in one statement. A delete lost in a crash only means the row is sent
/// once more after the restart, and the consumer's inbox drops the copy.
/// </summary>
internal sealed class ConsumedRowsWriter<TDbContext>(
    VolatileTransport transport,
    IServiceScopeFactory scopeFactory,
    IOptions<InboxOutboxOptions> options,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ConsumedRowsWriter<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    // Ids that arrive while a statement runs go together in the next one.
    private const int MaxPerStatement = 500;

    private readonly OutageTracker _outage = new("Consumed-rows writer", "consumed_rows", options.Value.DeliveryPollInterval,
        options.Value.UnhealthyMaxDelay, timeProvider, metrics, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Guid>(MaxPerStatement);
        try
        {
            while (batch.Count > 0 || await transport.Finished.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (batch.Count < MaxPerStatement && transport.Finished.TryRead(out var messageId))
                    batch.Add(messageId);

                try
                {
                    await Delete(batch, CancellationToken.None).ConfigureAwait(false);
                    batch.Clear();
                    _outage.Succeeded();
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(_outage.Failed(exception), timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not deleted yet is sent once more after the restart.
        }
    }

    /// <summary>Deletes the kept rows of <paramref name="messageIds"/> (never a scheduled row that is not due yet).</summary>
    internal async Task Delete(IReadOnlyCollection<Guid> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
            return;

        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var now = timeProvider.GetUtcNow().UtcDateTime;
            var ids = messageIds.ToArray();
            await db.Set<OutboxMessage>()
                .Where(x => ids.Contains(x.MessageId) && (x.ScheduledTime == null || x.ScheduledTime <= now))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
