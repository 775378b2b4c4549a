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

public sealed record LedgerPostingReport(
    LedgerRunResult EffectivelyOnce,
    LedgerRunResult AtLeastOnce,
    double EffectivelyOnceShareOfAtLeastOnce);

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
