using System.Data;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Sends outbox rows that are due: bus-outbox rows right after their commit, scheduled rows at their time, and
/// consumer rows their consumer could not send. Each pass claims a batch under the provider's row locks (skipping
/// rows another instance holds), sends row by row, deletes what went out and pushes back what failed, all in one
/// transaction. A row that keeps failing is quarantined, never retried ahead of the rows behind it.
/// </summary>
internal sealed class OutboxDeliveryService<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    DeliverySignal signal,
    MessagingMetrics metrics,
    IOptions<InboxOutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDeliveryService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    // A batch that fails this many sends in a row without one success stops early: the broker is more likely
    // down than every message bad, and further attempts would only push healthy rows towards quarantine.
    private const int ConsecutiveFailuresBeforeBackOff = 3;

    // Asking the bus for its health costs nothing (no I/O), so while it is unhealthy the loop asks at least this
    // often: rows go out within a second of the bus coming back, however long it was away.
    private static readonly TimeSpan LongestHealthRecheck = TimeSpan.FromSeconds(1);

    private readonly InboxOutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DeliveryServiceEnabled)
            return;

        // Failed passes and unhealthy checks back off separately: a long outage of the bus must not leave the
        // first pass after it waiting as if it had failed as many times.
        var troubles = 0;
        var unhealthyChecks = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
                {
                    wait = Backoff(++unhealthyChecks);
                    if (wait > LongestHealthRecheck)
                        wait = LongestHealthRecheck;
                    if (unhealthyChecks == 1)
                        logger.LogInformation("Outbox delivery waits for the bus to become healthy");
                }
                else
                {
                    if (unhealthyChecks > 0)
                        logger.LogInformation("Outbox delivery resumes: the bus is healthy again");
                    unhealthyChecks = 0;
                    var pass = await DeliverDue(stoppingToken).ConfigureAwait(false);
                    if (pass.Sent == 0 && pass.Failed > 0)
                    {
                        wait = Backoff(++troubles);
                    }
                    else
                    {
                        troubles = 0;
                        if (pass.Claimed >= _options.DeliveryBatchSize)
                            continue;
                        wait = _options.DeliveryPollInterval;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                wait = Backoff(++troubles);
                logger.LogWarning(exception, "Outbox delivery pass failed ({Failures} in a row); next attempt in {Delay}", troubles, wait);
            }

            try
            {
                await signal.WaitAsync(wait, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One claim-send-commit pass. Public to the assembly so tests can drive it without the loop.</summary>
    internal async Task<DeliveryPass> DeliverDue(CancellationToken cancellationToken)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var now = timeProvider.GetUtcNow().UtcDateTime;

            // A lock-free look first, so an idle poll never takes a write lock (SQLite) or starts a transaction.
            var anyDue = await db.Set<OutboxMessage>()
                .AnyAsync(x => x.QuarantinedAt == null && x.DueAt <= now, cancellationToken).ConfigureAwait(false);
            if (!anyDue)
                return default;

            var statements = InboxOutboxStatements.For(db);
            var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = await db.Set<OutboxMessage>()
                    .FromSqlRaw(statements.ClaimDueOutboxMessages, now, _options.DeliveryBatchSize)
                    .AsTracking()
                    .ToListAsync(cancellationToken).ConfigureAwait(false);

                int sent = 0, failed = 0, consecutiveFailures = 0;
                foreach (var row in rows)
                {
                    if (consecutiveFailures >= ConsecutiveFailuresBeforeBackOff && sent == 0)
                        break;

                    // The bus may have stopped while the rows were claimed: a send now could land nowhere (a stopped
                    // in-memory bus accepts it) or count a failed attempt against a healthy row. Leave the rest as due.
                    if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
                        break;

                    if (row.ExpirationTime is { } expiry && expiry <= now)
                    {
                        logger.LogWarning("Outbox message {MessageId} (#{SequenceNumber}) expired before it could be sent; dropped",
                            row.MessageId, row.SequenceNumber);
                        db.Remove(row);
                        continue;
                    }

                    try
                    {
                        await Send(row, cancellationToken).ConfigureAwait(false);
                        db.Remove(row);
                        sent++;
                        consecutiveFailures = 0;
                    }
                    catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        failed++;
                        consecutiveFailures++;
                        Failed(row, exception, timeProvider.GetUtcNow().UtcDateTime);
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);

                if (sent > 0)
                    metrics.Sent(sent);

                return new DeliveryPass(rows.Count, sent, failed);
            }
        }
    }

    private async Task Send(OutboxMessage row, CancellationToken cancellationToken)
    {
        row.Deserialize(SystemTextJsonMessageSerializer.Instance);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DeliverySendTimeout);

        await OutboxRows.Send(bus, row, timeout.Token).ConfigureAwait(false);
    }

    private void Failed(OutboxMessage row, Exception exception, DateTime now)
    {
        metrics.FailedAttempt();
        row.DeliveryAttempts++;
        row.LastError = OutboxRows.Describe(exception);

        if (row.DeliveryAttempts >= _options.MaxDeliveryAttempts)
        {
            row.QuarantinedAt = now;
            metrics.Quarantined();
            logger.LogError(exception,
                "Outbox message {MessageId} (#{SequenceNumber}) quarantined after {Attempts} failed delivery attempts",
                row.MessageId, row.SequenceNumber, row.DeliveryAttempts);
            return;
        }

        var delay = RetryDelay(row.DeliveryAttempts);
        row.DueAt = now + delay;
        logger.LogWarning(exception, "Outbox message {MessageId} (#{SequenceNumber}) failed delivery attempt {Attempt}; retry in {Delay}",
            row.MessageId, row.SequenceNumber, row.DeliveryAttempts, delay);
    }

    private TimeSpan RetryDelay(int attempts) => Exponential(_options.DeliveryRetryDelay, attempts, _options.DeliveryRetryMaxDelay);

    private TimeSpan Backoff(int troubles) => Exponential(_options.DeliveryPollInterval, troubles, _options.UnhealthyMaxDelay);

    internal static TimeSpan Exponential(TimeSpan first, int attempt, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(first.Ticks * factor, max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
