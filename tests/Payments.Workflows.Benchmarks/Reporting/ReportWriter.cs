using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Workflows.Benchmarks.Reporting;

public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task Write(BenchmarkReport report, BenchmarkOptions options)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(options.ReportPath)) is { } folder)
            Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(options.ReportPath, JsonSerializer.Serialize(report, Json));
        await File.WriteAllTextAsync(options.MarkdownPath, Markdown(report));
    }

    public static string Markdown(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var settings = report.Settings;
        md.AppendLine(CultureInfo.InvariantCulture, $"### Benchmark: N = {settings["payments"]}, {settings["database"]} + {settings["transport"]}, {report.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Invariants hold: **{(report.InvariantsHold ? "yes" : "NO")}**{(report.Failure is null ? "" : $" ({report.Failure})")}. " +
            $"Machine: {report.Machine.Cores} cores, {report.Machine.MemoryGiB} GiB, {report.Machine.Cpu}; load average {report.Machine.LoadAverageAtStart} at start, {report.Machine.LoadAverageAtEnd} at end.");
        md.AppendLine();
        md.AppendLine("| Run | Throughput | p50 ms | p95 ms | p99 ms | max ms | DB tx / msg | DB cmds / msg | CPU % (of all cores) | Peak working set MB | Outbox backlog max | Retries |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        if (report.LedgerPosting is { } ledger)
        {
            Row(md, $"Ledger posting, effectively-once (EF inbox/outbox), batches of up to {ledger.Batch}", ledger.EffectivelyOnce);
            Row(md, $"Ledger posting, at-least-once (business dedupe only), batches of up to {ledger.Batch}", ledger.AtLeastOnce);
            Row(md, "Ledger posting, effectively-once, one message per transaction", ledger.EffectivelyOncePerMessage);
            Row(md, "Ledger posting, at-least-once, one message per transaction", ledger.AtLeastOncePerMessage);
        }

        if (report.Ceilings.MassTransitNoDatabase is { } noDb)
            Row(md, "MassTransit alone (same messages, no database)", noDb);
        if (report.PaymentLifecycle is { } lifecycle)
        {
            Row(md, "Payment lifecycle, maximum rate", lifecycle.MaxRate);
            Row(md, $"Payment lifecycle, half load ({lifecycle.HalfLoad.OfferedPaymentsPerSecond} /s offered)", lifecycle.HalfLoad);
        }

        if (report.Ceilings.Database is { } database)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Database alone ({database.Workers} workers, same transaction) | {database.TransactionsPerSecond:0} tx/s | {Latency(database.Latency)} | {database.DbTransactionsPerPosting} | {database.DbCommandsPerPosting} | | | | |");
        }

        if (report.Ceilings.RabbitMq is { } rabbit)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| RabbitMQ alone (publish with confirms, then consume) | {rabbit.PublishThenConsumePerSecond:0} msg/s (publish {rabbit.PublishConfirmedPerSecond:0}/s, consume {rabbit.ConsumeAckedPerSecond:0}/s) | | | | | | | | | | |");
        }

        md.AppendLine();
        md.AppendLine("Throughput: ledger rows are distinct postings per second (5% of messages re-sent with the same MessageId on top); " +
            "lifecycle rows are payments per second to their terminal event with the ledger posted. Latency: ledger, first send to the " +
            "posting's event; lifecycle, each command to its outcome event. DB figures are per message the service's endpoints received " +
            "(commands are statements sent, each a round trip; a commit is one more). Retries: MassTransit message retries (UseMessageRetry), " +
            "e.g. two copies of a new payment racing to insert its saga row.");
        md.AppendLine();

        var cores = report.Machine.Cores;
        if (report.LedgerPosting is { } batched)
        {
            CpuByComponent(md, "the effectively-once batched run", "message", batched.EffectivelyOnce.Resources, batched.EffectivelyOnce.MessagesPerSecond, cores);
            CpuByComponent(md, "the at-least-once batched run", "message", batched.AtLeastOnce.Resources, batched.AtLeastOnce.MessagesPerSecond, cores);
        }

        if (report.PaymentLifecycle is { } life)
            CpuByComponent(md, "the lifecycle at maximum rate", "payment", life.MaxRate.Resources, life.MaxRate.PaymentsPerSecond, cores);
        md.AppendLine();

        if (report.LedgerPosting is { } l && report.PaymentLifecycle is { } p)
        {
            md.AppendLine("| Target (issue 5) | Measured | Baseline in the same run |");
            md.AppendLine("|---|---:|---:|");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Effectively-once ≥ 90% of at-least-once (same batch consumer) | {l.EffectivelyOnceShareOfAtLeastOnce:0.0}% (median of {l.BatchedPairs.Count} pairs: " +
                $"{string.Join(", ", l.BatchedPairs.Select(p => $"{p.Share:0.0}%"))}) | at-least-once {string.Join(", ", l.BatchedPairs.Select(p => $"{p.AtLeastOnceMessagesPerSecond:0}"))} msg/s |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Effectively-once (batched) ≥ 90% of at-least-once one message per transaction | {l.EffectivelyOnceShareOfAtLeastOncePerMessage:0.0}% | at-least-once {l.AtLeastOncePerMessage.MessagesPerSecond:0} msg/s |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| (one message per transaction, both) | {l.PerMessageEffectivelyOnceShareOfAtLeastOnce:0.0}% | effectively-once {l.EffectivelyOncePerMessage.MessagesPerSecond:0} msg/s |");
            var eachPair = l.BatchedPairs.Count > 1
                ? string.Create(CultureInfo.InvariantCulture, $" (each pair: {string.Join(", ", l.BatchedPairs.Select(p => p.EffectivelyOnceMessagesPerSecond.ToString("0", CultureInfo.InvariantCulture)))})")
                : "";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Effectively-once ≥ 1,300 msg/s | {l.EffectivelyOnce.MessagesPerSecond:0} msg/s{eachPair} | MassTransit alone {report.Ceilings.MassTransitNoDatabase?.MessagesPerSecond:0} msg/s |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| Payment lifecycle ≥ 300 payments/s | {p.PaymentsPerSecond:0} payments/s | database alone {report.Ceilings.Database?.TransactionsPerSecond:0} tx/s |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| p99 at half load ≤ 100 ms | {p.HalfLoad.P99Ms} ms | p50 {p.HalfLoad.CommandLatency.P50Ms} ms |");
            md.AppendLine();
        }

        if (report.PaymentLifecycle?.HalfLoad.Resources.Samples is { Count: >= 4 } memory)
        {
            // Quarter points of the half-load run: flat after warm-up means no growth from the second quarter on.
            var points = new[] { 0.25, 0.5, 0.75, 1.0 }.Select(f => memory[Math.Min(memory.Count - 1, (int)Math.Round(f * (memory.Count - 1)))]).ToList();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Memory through the half-load run ({memory[^1].AtSeconds:0} s): working set {string.Join(" → ", points.Select(p => $"{p.WorkingSetMb:0}"))} MB, " +
                $"managed heap {string.Join(" → ", points.Select(p => $"{p.GcHeapMb:0}"))} MB (at 1/4, 1/2, 3/4 and the end).");
            var windows = report.PaymentLifecycle.HalfLoad.CommandLatencyOverTime;
            var worst = windows.OrderByDescending(w => w.Latency.MaxMs).Take(3).OrderBy(w => w.AtSeconds);
            var checkpoints = report.PaymentLifecycle.HalfLoad.Resources.CheckpointsBeganAtSeconds;
            // A checkpoint seen at t began within the second before it.
            bool CheckpointIn(LatencyWindow w) => checkpoints?.Any(t => t > w.AtSeconds && t - 1 < w.AtSeconds + LatencyRecorder.Window.TotalSeconds) == true;
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Half-load command latency per {LatencyRecorder.Window.TotalSeconds:0} s window: p99 ≤ 100 ms in {windows.Count(w => w.Latency.P99Ms <= 100)} of {windows.Count} windows; " +
                $"the slowest: {string.Join("; ", worst.Select(w => $"from {w.AtSeconds:0} s, p99 {w.Latency.P99Ms} ms, max {w.Latency.MaxMs} ms ({w.Latency.Count} commands)" +
                    (CheckpointIn(w) ? ", a PostgreSQL checkpoint began in it" : "")))}.");
            if (checkpoints is not null)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"PostgreSQL checkpoints began {(checkpoints.Count == 0 ? "at no time" : "at " + string.Join(", ", checkpoints.Select(t => $"{t:0} s")))} into the half-load run " +
                    $"(seen once a second; {windows.Count(w => w.Latency.P99Ms > 100 && CheckpointIn(w))} of the {windows.Count(w => w.Latency.P99Ms > 100)} windows with p99 above 100 ms held one).");
            var (gc, stalls) = (report.PaymentLifecycle.HalfLoad.Resources.Gc, report.PaymentLifecycle.HalfLoad.Resources.Stalls);
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Garbage collection through the half-load run ({(gc.Server ? "server" : "workstation")} GC): paused {gc.PauseMs:0} ms in all, " +
                $"longest pause seen {gc.LongestPauseSeenMs:0.#} ms, {gc.Gen2Collections} gen-2 collections. " +
                $"Longest the process ran a due timer late: {stalls.LongestTimerLagMs:0.#} ms " +
                $"(at {stalls.LongestTimerLagAtSeconds:0} s); at most {stalls.MostPoolThreads} thread-pool threads.");
            md.AppendLine();
        }

        md.AppendLine("Where the round trips go (statements per received message; each also pays its share of the commits above):");
        md.AppendLine();
        void Statements(string name, IReadOnlyDictionary<string, double>? statements)
        {
            if (statements is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {string.Join("; ", statements.Select(s => $"{s.Key} {s.Value}"))}");
        }

        Statements("ledger, effectively-once, batched", report.LedgerPosting?.EffectivelyOnce.StatementsPerMessage);
        Statements("ledger, at-least-once, batched", report.LedgerPosting?.AtLeastOnce.StatementsPerMessage);
        Statements("ledger, effectively-once, one message per transaction", report.LedgerPosting?.EffectivelyOncePerMessage.StatementsPerMessage);
        Statements("ledger, at-least-once, one message per transaction", report.LedgerPosting?.AtLeastOncePerMessage.StatementsPerMessage);
        Statements("payment lifecycle, maximum rate", report.PaymentLifecycle?.MaxRate.StatementsPerMessage);
        md.AppendLine();

        md.AppendLine("<details><summary>Invariants, versions, settings</summary>");
        md.AppendLine();
        foreach (var (section, checks) in Invariants(report))
        {
            foreach (var check in checks)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {(check.Holds ? "✔" : "✘")} {section}: {check.Name} ({check.Detail})");
        }

        md.AppendLine();
        md.AppendLine(string.Join(", ", report.Versions.Select(v => $"{v.Key} {v.Value}")));
        md.AppendLine();
        md.AppendLine(string.Join(", ", report.Settings.Select(s => $"{s.Key} = {s.Value}")));
        if (report.PaymentLifecycle is { } service)
            md.AppendLine(CultureInfo.InvariantCulture, $"\nService endpoints (bus probe): {service.ServiceEndpointSettings}.");
        md.AppendLine();
        md.AppendLine(report.Machine.Note);
        md.AppendLine();
        md.AppendLine("</details>");
        return md.ToString();
    }

    public static IEnumerable<(string Section, IReadOnlyList<InvariantCheck> Checks)> Invariants(BenchmarkReport report)
    {
        if (report.LedgerPosting is { } ledger)
        {
            yield return ("ledger effectively-once, batched", ledger.EffectivelyOnce.Invariants);
            yield return ("ledger at-least-once, batched", ledger.AtLeastOnce.Invariants);
            yield return ("ledger effectively-once, one message per transaction", ledger.EffectivelyOncePerMessage.Invariants);
            yield return ("ledger at-least-once, one message per transaction", ledger.AtLeastOncePerMessage.Invariants);
        }

        if (report.Ceilings.MassTransitNoDatabase is { } noDb)
            yield return ("MassTransit alone", noDb.Invariants);
        if (report.PaymentLifecycle is { } lifecycle)
            yield return ("payment lifecycle", lifecycle.Invariants);
    }

    /// <summary>
    /// CPU per unit of work by component (the service process with the load generator, and the local servers), and the
    /// rate the machine's cores would allow if they did nothing else at those costs. Nothing where the servers are not local.
    /// </summary>
    private static void CpuByComponent(StringBuilder md, string run, string unit, ResourceUsage usage, double perSecond, int cores)
    {
        if (usage.ServersCpu.Count == 0 || perSecond <= 0 || usage.WallSeconds <= 0)
            return;
        var units = perSecond * usage.WallSeconds;
        var parts = new List<(string Name, double Seconds, double Percent)> { ("this process (service, load generator, probes)", usage.CpuSeconds, usage.CpuPercentOfMachine) };
        parts.AddRange(usage.ServersCpu.Select(s => (s.Key, s.Value.Seconds, s.Value.PercentOfMachine)));
        var total = parts.Sum(p => p.Seconds) * 1000 / units;
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- CPU per {unit} in {run}: {string.Join(", ", parts.Select(p => $"{p.Name} {p.Seconds * 1000 / units:0.00} ms ({p.Percent:0}% of all cores)"))}; " +
            $"{total:0.00} ms in all, so {cores} cores doing nothing else would give at most {cores * 1000 / total:0} {unit}s/s at these costs (measured {perSecond:0}).");
    }

    private static void Row(StringBuilder md, string name, LedgerRunResult run) =>
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {run.MessagesPerSecond:0} msg/s | {Latency(run.Latency)} | {run.DbTransactionsPerMessage?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {run.DbCommandsPerMessage?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {Resources(run.Resources)} | {run.MessageRetries} |");

    private static void Row(StringBuilder md, string name, PaymentPhaseResult run) =>
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {run.PaymentsPerSecond:0} payments/s ({run.MessagesConsumedPerSecond:0} msg/s) | {Latency(run.CommandLatency)} | {run.DbTransactionsPerMessage} | {run.DbCommandsPerMessage} | {Resources(run.Resources)} | {run.MessageRetries} |");

    private static string Latency(LatencySummary latency) =>
        string.Create(CultureInfo.InvariantCulture, $"{latency.P50Ms} | {latency.P95Ms} | {latency.P99Ms} | {latency.MaxMs}");

    private static string Resources(ResourceUsage usage) =>
        string.Create(CultureInfo.InvariantCulture, $"{usage.CpuPercentOfMachine} | {usage.PeakWorkingSetMb} | {usage.OutboxBacklogMax?.ToString(CultureInfo.InvariantCulture) ?? "–"}");
}
