namespace Payments.Workflows.Benchmarks.LedgerPosting;

/// <summary>Published once a posting is applied; the benchmark's probe measures latency up to its arrival.</summary>
public sealed record LedgerEntryPosted
{
    public required Guid PostingKey { get; init; }

    /// <summary>False when the business dedupe found the posting already applied (at-least-once redelivery).</summary>
    public required bool Applied { get; init; }
}
