using Payments.Workflows.Benchmarks.Ceilings;

namespace Payments.Workflows.Benchmarks.Reporting;

public sealed record BenchmarkReport(
    DateTimeOffset StartedAt,
    double DurationSeconds,
    bool InvariantsHold,
    string? Failure,
    MachineInfo Machine,
    IReadOnlyDictionary<string, string> Versions,
    IReadOnlyDictionary<string, object> Settings,
    LedgerPostingReport? LedgerPosting,
    PaymentLifecycleResult? PaymentLifecycle,
    CeilingsReport Ceilings);

/// <summary>
/// <see cref="EffectivelyOnce"/> and <see cref="AtLeastOnce"/> run the batch consumer (up to <see cref="Batch"/>
/// postings per transaction); the per-message runs are the one-message consumer, the shape of the reference baseline.
/// Shares are percentages of throughput. <see cref="EffectivelyOnceShareOfAtLeastOnce"/> is the median of
/// <see cref="BatchedPairs"/> (the first pair is <see cref="EffectivelyOnce"/> and <see cref="AtLeastOnce"/>).
/// </summary>
public sealed record LedgerPostingReport(
    LedgerRunResult EffectivelyOnce,
    LedgerRunResult AtLeastOnce,
    double EffectivelyOnceShareOfAtLeastOnce,
    int Batch,
    LedgerRunResult EffectivelyOncePerMessage,
    LedgerRunResult AtLeastOncePerMessage,
    double PerMessageEffectivelyOnceShareOfAtLeastOnce,
    double EffectivelyOnceShareOfAtLeastOncePerMessage,
    IReadOnlyList<BatchedPair> BatchedPairs);

/// <summary>One pair of batched runs, back to back in the order given: each mode's throughput and the share.</summary>
public sealed record BatchedPair(bool EffectivelyOnceFirst, double EffectivelyOnceMessagesPerSecond, double AtLeastOnceMessagesPerSecond, double Share);

public sealed record CeilingsReport(
    RabbitMqCeilingResult? RabbitMq,
    DatabaseCeilingResult? Database,
    LedgerRunResult? MassTransitNoDatabase);

public sealed record MachineInfo(
    int Cores,
    double MemoryGiB,
    string Os,
    string Cpu,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    string Note);
