namespace Payments.Workflows.Benchmarks;

public enum BenchmarkDatabase
{
    PostgreSql,
    Sqlite,
}

public enum BenchmarkTransport
{
    RabbitMq,
    InMemory,
}

/// <summary>The queue type the lifecycle's service queues are declared with on RabbitMQ (the service's default: quorum).</summary>
public enum BenchmarkQueues
{
    Quorum,
    Classic,
}

/// <summary>The parts of a run; a full run (the default) has all three.</summary>
[Flags]
public enum BenchmarkParts
{
    Ceilings = 1,
    Ledger = 2,
    Lifecycle = 4,
    All = Ceilings | Ledger | Lifecycle,
}

/// <summary>The command line, validated: a bad option fails with a message that names it and what it accepts.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage =
        """
        Usage: dotnet run -c Release --project tests/Payments.Workflows.Benchmarks -- [options]

          --payments N                 messages per ledger-posting run and payments per lifecycle run (default 20000)
          --database PostgreSql|Sqlite (default PostgreSql)
          --transport RabbitMq|InMemory (default RabbitMq)
          --queues Quorum|Classic      queue type of the lifecycle's service queues on RabbitMQ (default Quorum, as the
                                       service declares them; Classic for comparison)
          --report FILE                JSON report; the markdown table is written next to it as FILE.md
                                       (default benchmark-results/report.json)
          --in-flight N                messages or payments in flight at maximum rate (default 256)
          --half-load-seconds S        longest half-load run; it sends min(N, S x offered rate) payments
                                       (default N/20 between 10 and 300: 300 s, the memory-flatness run, at N = 6000+)
          --ledger-batch N             postings per batch in the batched ledger-posting runs (default 100)
          --ledger-pairs K             pairs of batched runs (at-least-once, effectively-once), in alternating order;
                                       the share is their median (default 3)
          --only PART[,PART]           run only these parts: ceilings, ledger, lifecycle (default all three);
                                       a partial report has no target table
          --help                       this text
        """;

    public int Payments { get; init; } = 20_000;

    public BenchmarkDatabase Database { get; init; } = BenchmarkDatabase.PostgreSql;

    public BenchmarkTransport Transport { get; init; } = BenchmarkTransport.RabbitMq;

    public BenchmarkQueues Queues { get; init; } = BenchmarkQueues.Quorum;

    public string ReportPath { get; init; } = Path.Combine("benchmark-results", "report.json");

    public int InFlight { get; init; } = 256;

    public int? HalfLoadSeconds { get; init; }

    /// <summary>Postings per batch of the batched ledger-posting runs (MassTransit batch consumer).</summary>
    public int LedgerBatch { get; init; } = 100;

    /// <summary>
    /// Pairs of batched ledger runs, at-least-once and effectively-once, the order alternating from pair to pair; the
    /// share the target reads is the median of the pairs' shares, so one pass of this machine's drift cannot decide it.
    /// </summary>
    public int LedgerPairs { get; init; } = 3;

    public BenchmarkParts Parts { get; init; } = BenchmarkParts.All;

    public bool Help { get; init; }

    public int HalfLoadSecondsOrDefault => HalfLoadSeconds ?? Math.Clamp(Payments / 20, 10, 300);

    public string MarkdownPath => Path.ChangeExtension(ReportPath, ".md");

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException($"{name} needs a value.");

            options = name switch
            {
                "--payments" => options with { Payments = PositiveInt(name, Value(), 10, 10_000_000) },
                "--database" => options with { Database = ParseEnum<BenchmarkDatabase>(name, Value()) },
                "--transport" => options with { Transport = ParseEnum<BenchmarkTransport>(name, Value()) },
                "--queues" => options with { Queues = ParseEnum<BenchmarkQueues>(name, Value()) },
                "--report" => options with { ReportPath = ReportFile(name, Value()) },
                "--in-flight" => options with { InFlight = PositiveInt(name, Value(), 1, 100_000) },
                "--ledger-batch" => options with { LedgerBatch = PositiveInt(name, Value(), 2, 1_000) },
                "--ledger-pairs" => options with { LedgerPairs = PositiveInt(name, Value(), 1, 50) },
                "--half-load-seconds" => options with { HalfLoadSeconds = PositiveInt(name, Value(), 1, 86_400) },
                "--only" => options with { Parts = ParseParts(name, Value()) },
                "--help" or "-h" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static int PositiveInt(string name, string value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}; got '{value}'.");

    private static T ParseEnum<T>(string name, string value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"{name} must be {string.Join(" or ", Enum.GetNames<T>())}; got '{value}'.");

    private static BenchmarkParts ParseParts(string name, string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => Enum.TryParse<BenchmarkParts>(part, ignoreCase: true, out var parsed) && parsed != BenchmarkParts.All && Enum.IsDefined(parsed)
                ? parsed
                : throw new ArgumentException($"{name} takes ceilings, ledger or lifecycle, separated by commas; got '{value}'."))
            .Aggregate((BenchmarkParts)0, (all, part) => all | part) is var parts && parts != 0
            ? parts
            : throw new ArgumentException($"{name} needs at least one of ceilings, ledger, lifecycle.");

    private static string ReportFile(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.EndsWith('/') || Directory.Exists(value))
            throw new ArgumentException($"{name} must name a file (e.g. benchmark-results/report.json); got '{value}'.");
        if (!value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{name} must end in .json (the markdown table goes next to it as .md); got '{value}'.");
        return value;
    }
}
