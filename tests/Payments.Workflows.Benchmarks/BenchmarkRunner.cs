using System.Reflection;
using System.Runtime.InteropServices;
using Payments.Workflows.Benchmarks.Ceilings;

namespace Payments.Workflows.Benchmarks;

/// <summary>
/// Runs, in order: the database and broker ceilings, MassTransit alone, ledger posting at-least-once and
/// effectively-once, then the payment lifecycle at maximum rate and at half of it. Checks correctness after each,
/// writes the report, and exits non-zero when any invariant fails or a run breaks.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Concurrent transactions of the database-alone ceiling.</summary>
    private const int DatabaseCeilingWorkers = 16;

    public static async Task<int> Run(BenchmarkOptions options)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var ct = cancellation.Token;
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        Console.WriteLine($"Benchmark: {options.Payments} payments, {options.Database} + {options.Transport}, {options.InFlight} in flight, report {options.ReportPath}");

        // Files are written beside the report as the run goes (the bus probe first), so its folder must exist
        // from the start, not only when the report itself is written.
        if (Path.GetDirectoryName(Path.GetFullPath(options.ReportPath)) is { } reportFolder)
            Directory.CreateDirectory(reportFolder);

        RabbitMqCeilingResult? rabbitCeiling = null;
        DatabaseCeilingResult? databaseCeiling = null;
        LedgerRunResult? noDatabase = null, atLeastOnce = null, effectivelyOnce = null, atLeastOncePerMessage = null, effectivelyOncePerMessage = null;
        var pairs = new List<BatchedPair>();
        PaymentLifecycleResult? lifecycle = null;
        string? failure = null;
        string? postgresVersion = null;

        try
        {
            await using var servers = await BenchmarkServers.Start(options, ct);
            postgresVersion = servers.PostgresVersion;

            if (options.Parts.HasFlag(BenchmarkParts.Ceilings))
            {
                Console.WriteLine($"Database alone ({DatabaseCeilingWorkers} workers)");
                databaseCeiling = await DatabaseCeiling.Run(servers, options.Payments, DatabaseCeilingWorkers, ct);
                Console.WriteLine($"  {databaseCeiling.TransactionsPerSecond} tx/s");

                if (servers.VirtualHost is { } virtualHost)
                {
                    Console.WriteLine("RabbitMQ alone");
                    rabbitCeiling = await RabbitMqCeiling.Run(virtualHost, options.Payments, options.InFlight, ct);
                    Console.WriteLine($"  publish {rabbitCeiling.PublishConfirmedPerSecond}/s, consume {rabbitCeiling.ConsumeAckedPerSecond}/s");
                }
            }

            var ledger = new LedgerPostingWorkload(options, servers);
            // One message per transaction first (the shape of the reference baseline), then the batch consumer:
            // each guarantee measured with the same consumer as its baseline.
            // MassTransit alone is a ceiling; the other four are the ledger part.
            var runs = new (LedgerMode Mode, bool Batched)[]
            {
                (LedgerMode.NoDatabase, false), (LedgerMode.AtLeastOnce, false), (LedgerMode.EffectivelyOnce, false),
                (LedgerMode.AtLeastOnce, true), (LedgerMode.EffectivelyOnce, true),
            }.Where(r => options.Parts.HasFlag(r.Mode == LedgerMode.NoDatabase ? BenchmarkParts.Ceilings : BenchmarkParts.Ledger));
            foreach (var (mode, batched) in runs)
            {
                Console.WriteLine($"Ledger posting, {mode}{(batched ? $", batches of up to {options.LedgerBatch}" : "")}");
                var result = await ledger.Run(mode, batched, ct);
                Console.WriteLine($"  {result.MessagesPerSecond} msg/s, p99 {result.Latency.P99Ms} ms, {result.DbTransactionsPerMessage} tx/msg, invariants {(result.Invariants.All(c => c.Holds) ? "hold" : "BROKEN")}");
                _ = (mode, batched) switch
                {
                    (LedgerMode.NoDatabase, _) => noDatabase = result,
                    (LedgerMode.AtLeastOnce, false) => atLeastOncePerMessage = result,
                    (LedgerMode.EffectivelyOnce, false) => effectivelyOncePerMessage = result,
                    (LedgerMode.AtLeastOnce, true) => atLeastOnce = result,
                    _ => effectivelyOnce = result,
                };
            }

            // More batched pairs, the order alternating, so the share is not one pass of this machine's drift.
            if (effectivelyOnce is not null && atLeastOnce is not null)
            {
                pairs.Add(Pair(false, effectivelyOnce, atLeastOnce));
                for (var i = 1; i < options.LedgerPairs; i++)
                {
                    var effectivelyOnceFirst = i % 2 == 1;
                    Console.WriteLine($"Ledger posting, batched pair {i + 1} of {options.LedgerPairs} ({(effectivelyOnceFirst ? "EffectivelyOnce first" : "AtLeastOnce first")})");
                    LedgerRunResult? eo = null, alo = null;
                    foreach (var mode in effectivelyOnceFirst
                        ? new[] { LedgerMode.EffectivelyOnce, LedgerMode.AtLeastOnce }
                        : [LedgerMode.AtLeastOnce, LedgerMode.EffectivelyOnce])
                    {
                        var result = await ledger.Run(mode, true, ct);
                        if (!result.Invariants.All(c => c.Holds))
                            throw new InvalidOperationException($"Invariants broken in batched pair {i + 1} ({mode}).");
                        if (mode == LedgerMode.EffectivelyOnce)
                            eo = result;
                        else
                            alo = result;
                    }

                    pairs.Add(Pair(effectivelyOnceFirst, eo!, alo!));
                    Console.WriteLine($"  effectively-once {eo!.MessagesPerSecond} msg/s, at-least-once {alo!.MessagesPerSecond} msg/s: {pairs[^1].Share}%");
                }
            }

            if (options.Parts.HasFlag(BenchmarkParts.Lifecycle))
            {
                Console.WriteLine("Payment lifecycle");
                lifecycle = await new PaymentLifecycleWorkload(options, servers).Run(ct);
                Console.WriteLine($"  {lifecycle.PaymentsPerSecond} payments/s; half load p99 {lifecycle.HalfLoad.P99Ms} ms; invariants {(lifecycle.Invariants.All(c => c.Holds) ? "hold" : "BROKEN")}");
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failure = $"{error.GetType().Name}: {error.Message}";
            await Console.Error.WriteLineAsync($"error: {error}");
        }

        var report = new BenchmarkReport(
            startedAt,
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            false,
            failure,
            new MachineInfo(Environment.ProcessorCount, MemoryGiB(), RuntimeInformation.OSDescription, CpuModel(), loadAtStart, LoadAverage(),
                "The load generator, the probe endpoints and the service share one process (its CPU and memory are reported); PostgreSQL and " +
                "RabbitMQ run on the same machine and may be shared with other work, so absolute figures vary between runs."),
            Versions(postgresVersion, rabbitCeiling?.ServerVersion),
            Settings(options),
            effectivelyOnce is not null && atLeastOnce is not null && effectivelyOncePerMessage is not null && atLeastOncePerMessage is not null
                ? new LedgerPostingReport(effectivelyOnce, atLeastOnce, Median(pairs.Select(p => p.Share)), options.LedgerBatch,
                    effectivelyOncePerMessage, atLeastOncePerMessage, Share(effectivelyOncePerMessage, atLeastOncePerMessage),
                    Share(effectivelyOnce, atLeastOncePerMessage), pairs)
                : null,
            lifecycle,
            new CeilingsReport(rabbitCeiling, databaseCeiling, noDatabase));
        var complete = failure is null
            && (report.LedgerPosting is not null || !options.Parts.HasFlag(BenchmarkParts.Ledger))
            && (lifecycle is not null || !options.Parts.HasFlag(BenchmarkParts.Lifecycle))
            && (noDatabase is not null || !options.Parts.HasFlag(BenchmarkParts.Ceilings));
        report = report with { InvariantsHold = complete && ReportWriter.Invariants(report).All(s => s.Checks.All(c => c.Holds)) };
        await ReportWriter.Write(report, options);

        Console.WriteLine();
        Console.WriteLine(ReportWriter.Markdown(report));
        foreach (var (section, checks) in ReportWriter.Invariants(report))
        {
            foreach (var check in checks.Where(c => !c.Holds))
                await Console.Error.WriteLineAsync($"INVARIANT BROKEN: {section}: {check.Name} ({check.Detail})");
        }

        Console.WriteLine($"Report: {options.ReportPath} and {options.MarkdownPath} ({clock.Elapsed.TotalSeconds:0} s)");
        return report.InvariantsHold ? 0 : 1;
    }

    private static double Share(LedgerRunResult part, LedgerRunResult whole) => Math.Round(part.MessagesPerSecond / whole.MessagesPerSecond * 100, 1);

    private static BatchedPair Pair(bool effectivelyOnceFirst, LedgerRunResult effectivelyOnce, LedgerRunResult atLeastOnce) =>
        new(effectivelyOnceFirst, effectivelyOnce.MessagesPerSecond, atLeastOnce.MessagesPerSecond, Share(effectivelyOnce, atLeastOnce));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : Math.Round((sorted[middle - 1] + sorted[middle]) / 2, 1);
    }

    private static Dictionary<string, object> Settings(BenchmarkOptions options) => new()
    {
        ["payments"] = options.Payments,
        ["parts"] = options.Parts.ToString().ToLowerInvariant(),
        ["database"] = options.Database.ToString(),
        ["transport"] = options.Transport.ToString(),
        ["queues"] = options.Transport == BenchmarkTransport.RabbitMq ? $"{options.Queues} (the lifecycle's service queues; the ledger runs declare classic queues)" : "in memory",
        ["inFlight"] = options.InFlight,
        ["halfLoadSeconds"] = options.HalfLoadSecondsOrDefault,
        ["ledgerDuplicateShare"] = LedgerPostingWorkload.DuplicateShare,
        ["paymentDuplicateShare"] = PaymentPlan.DuplicateShare,
        ["paymentMix"] = "10% declined, 20% authorised only, 63% captured in full, 7% captured then refunded in part",
        ["acquirer"] = "simulated, latency 0, no faults",
        ["serviceSettings"] = ServiceSettingOverrides.Describe(),
        ["databaseCeilingWorkers"] = DatabaseCeilingWorkers,
        ["ledgerPairs"] = $"{options.LedgerPairs} pairs of batched runs, the order alternating; the share is their median",
        ["ledgerBatch"] = $"up to {options.LedgerBatch} postings, {LedgerPostingWorkload.BatchTimeLimit.TotalMilliseconds} ms time limit, {LedgerPostingWorkload.BatchConcurrency} batches at once",
        ["warmUp"] = "ledger: min(500, N/10) postings per mode; lifecycle: min(200, N/10) payments; not measured, checked",
        ["gc"] = System.Runtime.GCSettings.IsServerGC ? "server (as the service runs)" : "workstation",
        ["jit"] = TieredCompilation() ? "tiered compilation (the runtime's default, as the service runs)" : "tiered compilation off, every method optimised at its first call (not as the service runs)",
        ["commit"] = Git("rev-parse --short HEAD") ?? "unknown",
    };

    /// <summary>Whether the runtime tiers its JIT: the project's setting, unless DOTNET_TieredCompilation overrides it.</summary>
    private static bool TieredCompilation() =>
        Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is { } variable
            ? variable != "0"
            : AppContext.GetData("System.Runtime.TieredCompilation")?.ToString() is not { } configured || !configured.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> Versions(string? postgres, string? rabbitMq) => new()
    {
        [".NET"] = RuntimeInformation.FrameworkDescription,
        ["MassTransit"] = Version(typeof(MassTransit.IBus)),
        ["EF Core"] = Version(typeof(Microsoft.EntityFrameworkCore.DbContext)),
        ["Npgsql"] = Version(typeof(Npgsql.NpgsqlConnection)),
        ["RabbitMQ.Client"] = Version(typeof(RabbitMQ.Client.ConnectionFactory)),
        ["HdrHistogram"] = Version(typeof(HdrHistogram.LongHistogram)),
        ["PostgreSQL server"] = postgres ?? "not used",
        ["RabbitMQ server"] = rabbitMq ?? "not used",
    };

    private static string Version(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";

    private static double MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is not null
            ? Math.Round(long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1)
            : Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0, 1);
    }

    private static string CpuModel() =>
        (File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null)
        ?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            var output = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return git?.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
