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
/// rows another instance holds) and leases it in a short transaction, sends row by row with no transaction open, then
/// deletes what went out and pushes back what failed in a second one. A row that keeps failing is quarantined, never
/// retried ahead of the rows behind it.
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

    /// <summary>
    /// One claim-send-settle pass. Public to the assembly so tests can drive it without the loop. The claim and the
    /// settlement are short transactions of their own: none is open while the broker answers.
    /// </summary>
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
            var rows = await Claim(db, now, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
                return default;

            var settlement = new Settlement(now);
            try
            {
                await SendClaimed(rows, settlement, now, deliver, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Also when the pass is cancelled by a stop: the rows it did not get to are due again at once, not
                // after the lease.
                await Settle(db, rows, settlement).ConfigureAwait(false);
            }

            if (settlement.Sent > 0)
                metrics.Sent(settlement.Sent);

            return new DeliveryPass(rows.Count, settlement.Sent, settlement.Failed.Count, settlement.Outage);
        }
    }

    // Takes a batch of due rows under the provider's row locks (skipping rows another pass holds) and leases them by
    // moving their due time past the lease, then commits at once.
    private async Task<List<OutboxMessage>> Claim(TDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var statements = InboxOutboxStatements.For(db);
        var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var rows = await db.Set<OutboxMessage>()
                .FromSqlRaw(statements.ClaimDueOutboxMessages, now, _options.DeliveryBatchSize)
                .AsNoTracking()
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (rows.Count > 0)
            {
                var numbers = rows.ConvertAll(r => r.SequenceNumber);
                var leasedUntil = now + _options.DeliveryClaimLease;
                await db.Set<OutboxMessage>().Where(x => numbers.Contains(x.SequenceNumber))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueAt, leasedUntil), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return rows;
        }
    }

    private async Task SendClaimed(List<OutboxMessage> rows, Settlement settlement, DateTime claimedAt, Activity? deliver,
        CancellationToken cancellationToken)
    {
        var consecutiveFailures = 0;

        // Rows whose send failed for want of the transport. Such a row is charged the attempt only once a later
        // row goes out (the transport worked, so the fault was the row's); if none does, the broker is away,
        // and an outage counts against no row.
        var suspects = new List<(OutboxMessage Row, Exception Exception)>();
        foreach (var row in rows)
        {
            if (consecutiveFailures >= ConsecutiveFailuresBeforeBackOff && settlement.Sent == 0)
                break;

            // The bus may have stopped while the rows were claimed: a send now could land nowhere (a stopped
            // in-memory bus accepts it) or count a failed attempt against a healthy row. Leave the rest as due.
            if (bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
                break;

            // Slow sends must not outlive the lease, or another pass would take the rows still waiting here.
            var now = timeProvider.GetUtcNow().UtcDateTime;
            if (now - claimedAt > _options.DeliveryClaimLease / 2)
                break;

            if (row.ExpirationTime is { } expiry && expiry <= now)
            {
                logger.LogWarning("Outbox message {MessageId} (#{SequenceNumber}) expired before it could be sent; dropped",
                    row.MessageId, row.SequenceNumber);
                settlement.Delete.Add(row.SequenceNumber);
                continue;
            }

            try
            {
                await Send(row, deliver, cancellationToken).ConfigureAwait(false);
                if (transport.KeepsUntilConsumed(row))
                    settlement.Keep.Add(row.SequenceNumber);
                else
                    settlement.Delete.Add(row.SequenceNumber);
                settlement.Sent++;
                consecutiveFailures = 0;
                foreach (var (suspect, exception) in suspects)
                    Failed(suspect, exception, timeProvider.GetUtcNow().UtcDateTime, settlement);

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

                consecutiveFailures++;
                Failed(row, exception, timeProvider.GetUtcNow().UtcDateTime, settlement);
            }
        }

        // Transport failures no later success cleared: the broker is (as far as this pass can tell) away.
        if (suspects.Count > 0)
            settlement.Outage = suspects[^1].Exception;
    }

    // Writes what the pass did: sent rows deleted (or kept for their consumer), failed rows charged, and every other
    // claimed row due again as of the claim. Statements name rows by sequence number, so a row a consumer's delivered
    // mark or an operator removed meanwhile is simply not there to update.
    private async Task Settle(TDbContext db, List<OutboxMessage> rows, Settlement settlement)
    {
        var set = db.Set<OutboxMessage>();
        var settled = new HashSet<long>(settlement.Delete);
        settled.UnionWith(settlement.Keep);
        settled.UnionWith(settlement.Failed.Select(r => r.SequenceNumber));
        var released = rows.Where(r => !settled.Contains(r.SequenceNumber)).Select(r => r.SequenceNumber).ToList();

        var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (settlement.Delete.Count > 0)
            {
                await set.Where(x => settlement.Delete.Contains(x.SequenceNumber))
                    .ExecuteDeleteAsync(CancellationToken.None).ConfigureAwait(false);
            }

            if (settlement.Keep.Count > 0)
            {
                var resendAt = timeProvider.GetUtcNow().UtcDateTime + _options.ResendUnconsumedAfter;
                await set.Where(x => settlement.Keep.Contains(x.SequenceNumber))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueAt, resendAt), CancellationToken.None).ConfigureAwait(false);
            }

            if (released.Count > 0)
            {
                await set.Where(x => released.Contains(x.SequenceNumber))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueAt, settlement.ClaimedAt), CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var row in settlement.Failed)
            {
                await set.Where(x => x.SequenceNumber == row.SequenceNumber)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.DeliveryAttempts, row.DeliveryAttempts)
                        .SetProperty(x => x.LastError, row.LastError)
                        .SetProperty(x => x.QuarantinedAt, row.QuarantinedAt)
                        .SetProperty(x => x.DueAt, row.DueAt), CancellationToken.None).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
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

    private void Failed(OutboxMessage row, Exception exception, DateTime now, Settlement settlement)
    {
        settlement.Failed.Add(row);
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

    // What one pass did to the rows it claimed, written by Settle.
    private sealed class Settlement(DateTime claimedAt)
    {
        public DateTime ClaimedAt { get; } = claimedAt;

        public List<long> Delete { get; } = [];

        public List<long> Keep { get; } = [];

        public List<OutboxMessage> Failed { get; } = [];

        public int Sent { get; set; }

        public Exception? Outage { get; set; }
    }
}
