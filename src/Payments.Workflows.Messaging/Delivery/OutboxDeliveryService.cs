using System.Data;
using System.Diagnostics;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Messaging.Resilience;

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
    VolatileTransport transport,
    MessagingMetrics metrics,
    IOptions<InboxOutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDeliveryService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    // A batch that fails this many sends in a row without one success stops early: the broker is more likely
    // down than every message bad, and further attempts would only push healthy rows towards quarantine.
    private const int ConsecutiveFailuresBeforeBackOff = 3;

    // Two rows in a row failing for want of the broker (unreachable, connection lost, timed out) is an outage: the
    // pass stops, and neither row is charged an attempt.
    private const int TransportFailuresBeforeOutage = 2;

    // Asking the bus for its health costs nothing (no I/O), so while it is unhealthy the loop asks at least this
    // often: rows go out within a second of the bus coming back, however long it was away.
    private static readonly TimeSpan LongestHealthRecheck = TimeSpan.FromSeconds(1);

    private readonly InboxOutboxOptions _options = options.Value;

    // On a transport that forgets at a restart: whether the rows it was given before this process started (kept, due
    // later) have been made due now.
    private bool _keptRowsResumed;

    private readonly OutageTracker _outage = new("Outbox delivery", "delivery", options.Value.DeliveryPollInterval,
        options.Value.UnhealthyMaxDelay, timeProvider, metrics, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DeliveryServiceEnabled)
            return;

        // Passes whose every row failed for reasons of their own back off without being an outage: each row's failure
        // is logged and counted against it. An outage (database or broker away) is the tracker's: logged once when it
        // starts and once when it ends, however long it lasts.
        var troubles = 0;
        var busSeenHealthy = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
                {
                    // A bus still starting is not an outage; one that was healthy and is no longer is.
                    wait = busSeenHealthy ? _outage.Paused(TransientFaultKind.Broker, null) : _options.DeliveryPollInterval;
                    if (wait > LongestHealthRecheck)
                        wait = LongestHealthRecheck;
                }
                else
                {
                    busSeenHealthy = true;
                    var pass = await DeliverDue(stoppingToken).ConfigureAwait(false);
                    if (pass.Outage is { } outage)
                    {
                        wait = _outage.Paused(TransientFaults.Classify(outage) ?? TransientFaultKind.Broker, outage);
                    }
                    else
                    {
                        _outage.Succeeded();
                        if (pass.Sent == 0 && pass.Failed > 0)
                        {
                            wait = OutageTracker.Exponential(_options.DeliveryPollInterval, ++troubles, _options.UnhealthyMaxDelay);
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
                // During an outage a commit elsewhere proves nothing, so only the back-off ends the wait.
                if (_outage.IsPaused)
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                else
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

            if (transport.IsVolatile && !_keptRowsResumed)
            {
                await ResumeKeptRows(db, now, cancellationToken).ConfigureAwait(false);
                _keptRowsResumed = true;
            }

            // A lock-free look first, so an idle poll never takes a write lock (SQLite) or starts a transaction.
            var anyDue = await db.Set<OutboxMessage>()
                .AnyAsync(x => x.QuarantinedAt == null && x.DueAt <= now, cancellationToken).ConfigureAwait(false);
            if (!anyDue)
                return default;

            using var deliver = MessagingActivities.StartDeliver();
            var statements = InboxOutboxStatements.For(db);
            var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = await db.Set<OutboxMessage>()
                    .FromSqlRaw(statements.ClaimDueOutboxMessages, now, _options.DeliveryBatchSize)
                    .AsTracking()
                    .ToListAsync(cancellationToken).ConfigureAwait(false);

                int sent = 0, failed = 0, consecutiveFailures = 0;

                // Rows whose send failed for want of the transport. Such a row is charged the attempt only once a later
                // row goes out (the transport worked, so the fault was the row's); if none does, the broker is away,
                // and an outage counts against no row.
                var suspects = new List<(OutboxMessage Row, Exception Exception)>();
                Exception? outage = null;
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
                        await Send(row, deliver, cancellationToken).ConfigureAwait(false);
                        if (transport.KeepsUntilConsumed(row))
                            row.DueAt = timeProvider.GetUtcNow().UtcDateTime + _options.ResendUnconsumedAfter;
                        else
                            db.Remove(row);
                        sent++;
                        consecutiveFailures = 0;
                        foreach (var (suspect, exception) in suspects)
                        {
                            failed++;
                            Failed(suspect, exception, timeProvider.GetUtcNow().UtcDateTime);
                        }

                        suspects.Clear();
                    }
                    catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (IsTransportFault(exception))
                        {
                            suspects.Add((row, exception));
                            if (suspects.Count >= TransportFailuresBeforeOutage)
                                break;
                            continue;
                        }

                        failed++;
                        consecutiveFailures++;
                        Failed(row, exception, timeProvider.GetUtcNow().UtcDateTime);
                    }
                }

                // Transport failures no later success cleared: the broker is (as far as this pass can tell) away.
                if (suspects.Count > 0)
                    outage = suspects[^1].Exception;

                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);

                if (sent > 0)
                    metrics.Sent(sent);

                return new DeliveryPass(rows.Count, sent, failed, outage);
            }
        }
    }

    /// <summary>
    /// Whatever an in-memory transport held when this process last stopped is gone: every row kept for its consumer
    /// (and every unscheduled row waiting for a retry) is due now. The inbox drops the copies that had been consumed.
    /// </summary>
    private async Task ResumeKeptRows(TDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var resumed = await db.Set<OutboxMessage>()
            .Where(x => x.QuarantinedAt == null && x.DueAt > now && (x.ScheduledTime == null || x.ScheduledTime <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueAt, now), cancellationToken).ConfigureAwait(false);
        if (resumed > 0)
        {
            logger.LogInformation("{Count} outbox messages sent before the last stop were not yet consumed; sending them again", resumed);
        }
    }

    private async Task Send(OutboxMessage row, Activity? deliver, CancellationToken cancellationToken)
    {
        row.Deserialize(SystemTextJsonMessageSerializer.Instance);
        using var dispatch = MessagingActivities.StartDispatch(row, deliver);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DeliverySendTimeout);

        try
        {
            await OutboxRows.Send(bus, row, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Our own send timeout, not a stop: the broker did not answer in time, which is a transient fault.
            throw new TimeoutException($"Sending outbox message {row.MessageId} took longer than {_options.DeliverySendTimeout}.", exception);
        }
    }

    // A send that failed because the broker is unreachable, dropped the connection or did not answer in time.
    private static bool IsTransportFault(Exception exception) =>
        TransientFaults.Classify(exception) is TransientFaultKind.Broker or TransientFaultKind.Network or TransientFaultKind.Timeout;

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

    private TimeSpan RetryDelay(int attempts) => OutageTracker.Exponential(_options.DeliveryRetryDelay, attempts, _options.DeliveryRetryMaxDelay);
}
