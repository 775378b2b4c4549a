using System.Diagnostics.Metrics;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Meter <c>Payments.Workflows.Messaging</c>: what the delivery service did, what the outbox and inbox tables hold now
/// (read from the database at most every few seconds, and only while someone collects), and what the cleanup found stuck.
/// docs/operations.md describes each instrument and the alerts we recommend on them.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Payments.Workflows.Messaging";

    // The ordered partitioner is built while receive endpoints are configured, before the container could hand it an
    // instance; its one counter lives on a static meter of the same name, which every listener of this meter sees.
    private static readonly Meter OrderingMeter = new(MeterName);
    private static readonly Counter<long> SkippedDeliveries = OrderingMeter.CreateCounter<long>("messaging.ordering.skipped_deliveries",
        "{delivery}", "Earlier deliveries the ordered partitioner stopped waiting for (never dispatched by the transport) before going ahead.");

    private static readonly Histogram<int> SagaBatchSizes = OrderingMeter.CreateHistogram<int>("messaging.saga.batch_size", "{message}",
        "Messages a partitioned saga endpoint ran in one transaction (batched saga execution).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    private static readonly Counter<long> SagaBatchFallbacks = OrderingMeter.CreateCounter<long>("messaging.saga.batch_fallbacks", "{message}",
        "Messages run again on their own because their batch did not commit (a failing message, the database away).");

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _inboxExpired;
    private readonly UpDownCounter<long> _outages;
    private long _stuckOutbox;
    private long _incompleteInbox;
    private long _quarantinedRows;

    private readonly OutboxBacklogCache? _backlog;

    /// <param name="meterFactory">Creates the meter (one per container, so tests see only their host's measurements).</param>
    /// <param name="backlog">Reads the outbox and inbox tables for the backlog gauges; without it they report nothing.</param>
    /// <param name="timeProvider">The clock of the backlog cache.</param>
    /// <param name="logger">Where a failed backlog read is noted (debug).</param>
    public MessagingMetrics(IMeterFactory meterFactory, IOutboxBacklogReader? backlog = null, TimeProvider? timeProvider = null,
        ILogger<MessagingMetrics>? logger = null)
    {
        if (backlog is not null)
        {
            _backlog = new OutboxBacklogCache(backlog, timeProvider ?? TimeProvider.System,
                (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }

        var meter = Meter = meterFactory.Create(MeterName);
        _sent = meter.CreateCounter<long>("messaging.outbox.sent", "{message}", "Outbox rows the delivery service sent.");
        _failed = meter.CreateCounter<long>("messaging.outbox.failed_attempts", "{attempt}", "Failed delivery attempts.");
        _quarantined = meter.CreateCounter<long>("messaging.outbox.quarantined", "{message}", "Rows quarantined after too many failed attempts.");
        _inboxExpired = meter.CreateCounter<long>("messaging.inbox.expired", "{mark}", "Inbox marks deleted after the dedupe window.");
        _outages = meter.CreateUpDownCounter<long>("messaging.outage.active", "{outage}",
            "1 while a background service (tag service: delivery, delivered_marks, cleanup) is paused by a database or broker outage.");
        meter.CreateObservableGauge("messaging.outbox.stuck", () => Volatile.Read(ref _stuckOutbox), "{message}",
            "Unsent, unquarantined outbox rows overdue by more than StuckAfter (last cleanup pass).");
        meter.CreateObservableGauge("messaging.inbox.incomplete", () => Volatile.Read(ref _incompleteInbox), "{message}",
            "Consumed messages whose outgoing messages are still unsent after StuckAfter (last cleanup pass).");
        meter.CreateObservableGauge("messaging.outbox.quarantined_rows",
            () => new Measurement<long>(Backlog()?.Quarantined ?? Volatile.Read(ref _quarantinedRows)), "{message}",
            "Quarantined outbox rows waiting for an operator (read from the table; the last cleanup pass's count while it cannot be read).");
        meter.CreateObservableGauge("messaging.outbox.pending", () => Measure(b => b.Pending), "{message}",
            "Outbox rows due now and not yet sent.");
        meter.CreateObservableGauge("messaging.outbox.scheduled", () => Measure(b => b.Scheduled), "{message}",
            "Outbox rows due later: scheduled messages, retries pushed back, rows kept until their consumer has them.");
        meter.CreateObservableGauge("messaging.outbox.oldest_pending_age", () => Measure(b => b.OldestPendingAge.TotalSeconds), "s",
            "How long the longest-waiting pending outbox row has been due; 0 when none is pending.");
        meter.CreateObservableGauge("messaging.inbox.marks", () => Measure(b => b.InboxMarks), "{mark}",
            "Inbox marks kept for deduplication (until the dedupe window passes).");
    }

    internal Meter Meter { get; }

    /// <summary>The ordered partitioner went ahead without <paramref name="count"/> earlier deliveries.</summary>
    public static void DeliveriesSkipped(long count) => SkippedDeliveries.Add(count);

    /// <summary>A saga batch of <paramref name="size"/> messages ran; <paramref name="fallbacks"/> of them must run again on their own.</summary>
    public static void SagaBatchRan(int size, int fallbacks)
    {
        SagaBatchSizes.Record(size);
        if (fallbacks > 0)
            SagaBatchFallbacks.Add(fallbacks);
    }

    public void Sent(int count) => _sent.Add(count);

    public void FailedAttempt() => _failed.Add(1);

    public void Quarantined() => _quarantined.Add(1);

    public void InboxExpired(int count) => _inboxExpired.Add(count);

    public void OutageStarted(string service) => _outages.Add(1, new KeyValuePair<string, object?>("service", service));

    public void OutageEnded(string service) => _outages.Add(-1, new KeyValuePair<string, object?>("service", service));

    public void Report(long stuckOutbox, long incompleteInbox, long quarantinedRows)
    {
        Volatile.Write(ref _stuckOutbox, stuckOutbox);
        Volatile.Write(ref _incompleteInbox, incompleteInbox);
        Volatile.Write(ref _quarantinedRows, quarantinedRows);
    }

    private OutboxBacklog? Backlog() => _backlog?.Current();

    private IEnumerable<Measurement<T>> Measure<T>(Func<OutboxBacklog, T> value)
        where T : struct =>
        Backlog() is { } backlog ? [new Measurement<T>(value(backlog))] : [];
}
