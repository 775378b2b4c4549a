using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Cleanup;

/// <summary>
/// Off the hot path: deletes inbox marks older than the dedupe window in small batches, and counts what never
/// completed (overdue outbox rows, quarantined rows, consumed messages whose outgoing rows are still unsent) so it
/// shows up in the log and the metrics instead of piling up unseen.
/// </summary>
internal sealed class InboxOutboxCleanupService<TDbContext>(
    IServiceScopeFactory scopeFactory,
    MessagingMetrics metrics,
    IOptions<InboxOutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<InboxOutboxCleanupService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private readonly InboxOutboxOptions _options = options.Value;

    // A failed pass is tried again after a second, doubling, but never later than the next regular pass would be.
    private readonly OutageTracker _outage = new("Inbox/outbox cleanup", "cleanup", TimeSpan.FromSeconds(1),
        options.Value.UnhealthyMaxDelay < options.Value.CleanupInterval ? options.Value.UnhealthyMaxDelay : options.Value.CleanupInterval,
        timeProvider, metrics, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.CleanupEnabled)
            return;

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _options.CleanupInterval;
            try
            {
                await RunOnce(stoppingToken).ConfigureAwait(false);
                _outage.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                wait = _outage.Failed(exception);
            }

            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    internal async Task<CleanupReport> RunOnce(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var expiredBefore = now - _options.DuplicateDetectionWindow;
        var stuckBefore = now - _options.StuckAfter;
        var expired = 0;

        while (!cancellationToken.IsCancellationRequested)
        {
            // One short statement (and scope) per batch, so cleanup never holds many locks or a long transaction.
            var scope = scopeFactory.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                var deleted = await db.Set<InboxState>()
                    .Where(x => x.Consumed != null && x.Consumed < expiredBefore)
                    .OrderBy(x => x.Consumed)
                    .Take(_options.CleanupBatchSize)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                expired += deleted;
                if (deleted < _options.CleanupBatchSize)
                    break;
            }
        }

        if (expired > 0)
        {
            metrics.InboxExpired(expired);
            logger.LogInformation("Deleted {Count} inbox marks older than the dedupe window ({Window})", expired, _options.DuplicateDetectionWindow);
        }

        var report = await Count(stuckBefore, cancellationToken).ConfigureAwait(false);
        metrics.Report(report.StuckOutbox, report.IncompleteInbox, report.Quarantined);

        if (report.StuckOutbox > 0 || report.IncompleteInbox > 0 || report.Quarantined > 0)
        {
            logger.LogWarning(
                "Messages that never completed: {StuckOutbox} outbox rows overdue by more than {StuckAfter}, {Quarantined} quarantined outbox rows, " +
                "{IncompleteInbox} consumed messages with unsent outgoing messages",
                report.StuckOutbox, _options.StuckAfter, report.Quarantined, report.IncompleteInbox);
        }

        return report with { ExpiredInboxMarks = expired };
    }

    private async Task<CleanupReport> Count(DateTime stuckBefore, CancellationToken cancellationToken)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var outbox = db.Set<OutboxMessage>().AsNoTracking();

            var stuckOutbox = await outbox.LongCountAsync(x => x.QuarantinedAt == null && x.DueAt < stuckBefore, cancellationToken)
                .ConfigureAwait(false);
            var quarantined = await outbox.LongCountAsync(x => x.QuarantinedAt != null, cancellationToken).ConfigureAwait(false);
            var incompleteInbox = await db.Set<InboxState>().AsNoTracking()
                .Where(i => i.Delivered == null && i.Consumed != null && i.Consumed < stuckBefore)
                .Where(i => outbox.Any(o => o.InboxMessageId == i.MessageId && o.InboxConsumerId == i.ConsumerId && o.ScheduledTime == null))
                .LongCountAsync(cancellationToken).ConfigureAwait(false);

            return new CleanupReport(0, stuckOutbox, quarantined, incompleteInbox);
        }
    }
}
