namespace Payments.Workflows.Messaging.Delivery;

/// <summary>What the outbox and inbox tables hold at one moment.</summary>
/// <param name="Pending">Rows due now and not yet sent (not quarantined).</param>
/// <param name="Scheduled">Rows due later: scheduled messages, retries pushed back, rows kept until consumed.</param>
/// <param name="Quarantined">Rows that failed too often and wait for an operator.</param>
/// <param name="OldestPendingAge">How long the longest-waiting pending row has been due; zero when none is pending.</param>
/// <param name="InboxMarks">Inbox marks kept for deduplication.</param>
public sealed record OutboxBacklog(long Pending, long Scheduled, long Quarantined, TimeSpan OldestPendingAge, long InboxMarks);
