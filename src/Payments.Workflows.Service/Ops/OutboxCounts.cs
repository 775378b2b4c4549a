namespace Payments.Workflows.Service.Ops;

/// <summary>GET /ops/outbox: what the outbox holds now (read on request, not cached).</summary>
internal sealed record OutboxCounts(long Pending, long Scheduled, long Quarantined, double OldestPendingAgeSeconds, long InboxMarks);
