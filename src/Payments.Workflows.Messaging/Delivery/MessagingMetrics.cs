using System.Diagnostics.Metrics;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Meter <c>Payments.Workflows.Messaging</c>: what the delivery service did and what the cleanup found stuck.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Payments.Workflows.Messaging";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _inboxExpired;
    private readonly UpDownCounter<long> _outages;
    private long _stuckOutbox;
    private long _incompleteInbox;
    private long _quarantinedRows;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
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
        meter.CreateObservableGauge("messaging.outbox.quarantined_rows", () => Volatile.Read(ref _quarantinedRows), "{message}",
            "Quarantined outbox rows waiting for an operator (last cleanup pass).");
    }

    internal Meter Meter { get; }

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
}
