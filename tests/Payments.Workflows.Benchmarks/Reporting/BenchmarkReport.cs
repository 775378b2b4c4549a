using Payments.Workflows.Benchmarks.Ceilings;
using Payments.Workflows.Benchmarks.LedgerPosting;
using Payments.Workflows.Benchmarks.PaymentLifecycle;

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
/// Shares are percentages of throughput.
/// </summary>
public sealed record LedgerPostingReport(
    LedgerRunResult EffectivelyOnce,
    LedgerRunResult AtLeastOnce,
    double EffectivelyOnceShareOfAtLeastOnce,
    int Batch,
    LedgerRunResult EffectivelyOncePerMessage,
    LedgerRunResult AtLeastOncePerMessage,
    double PerMessageEffectivelyOnceShareOfAtLeastOnce,
    double EffectivelyOnceShareOfAtLeastOncePerMessage);

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
