namespace Payments.Workflows.Testing;

/// <summary>
/// The configuration every test host and the benchmark start the service with, as configuration keys: the database,
/// an acquirer that answers at once and retries at once, and what each kind of host adds on top.
/// </summary>
public static class TestSettings
{
    /// <summary>The service on <paramref name="connectionString"/> with an instant acquirer.</summary>
    /// <param name="database">The provider, as <c>Payments:Database</c> names it: Sqlite, PostgreSql or SqlServer.</param>
    public static Dictionary<string, string?> For(string database, string connectionString) => new()
    {
        ["Payments:Database"] = database,
        ["ConnectionStrings:Payments"] = connectionString,
        ["Payments:Acquirer:Latency"] = "00:00:00",
        ["Payments:Acquirer:RetryBaseDelay"] = "00:00:00.001",
        // Hosts built with Host.CreateApplicationBuilder run as Production, which refuses the simulated acquirer unless told.
        ["Payments:Acquirer:Simulated"] = "true",
        // Test hosts run as Production (the host's default) against plain loopback servers; the TLS tests set it back.
        ["Payments:AllowInsecureTransport"] = "true",
    };

    /// <summary>The service on a SQLite file.</summary>
    public static Dictionary<string, string?> ForSqlite(string databaseFile) => For("Sqlite", $"Data Source={databaseFile}");

    /// <summary>The messages go through RabbitMQ at <paramref name="broker"/>.</summary>
    public static Dictionary<string, string?> OnRabbitMq(this Dictionary<string, string?> settings, Uri broker, bool quorumQueues) =>
        settings.With(new Dictionary<string, string?>
        {
            ["Payments:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = broker.ToString(),
            ["Payments:RabbitMq:QuorumQueues"] = quorumQueues.ToString(),
        });

    /// <summary>Warnings and errors only: the console of a test run is shared by every host it starts.</summary>
    public static Dictionary<string, string?> WarningsOnly(this Dictionary<string, string?> settings) =>
        settings.With(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });

    /// <summary>The settings with <paramref name="overrides"/> laid over them (a test's own, which win).</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings,
        IEnumerable<KeyValuePair<string, string?>>? overrides)
    {
        foreach (var (key, value) in overrides ?? [])
            settings[key] = value;
        return settings;
    }
}
