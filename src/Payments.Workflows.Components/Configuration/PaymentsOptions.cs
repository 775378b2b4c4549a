namespace Payments.Workflows.Components.Configuration;

/// <summary>Bound from the "Payments" configuration section (environment: Payments__*).</summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "Payments";

    /// <summary>InMemory (default) or RabbitMq; RabbitMq reads ConnectionStrings:RabbitMq.</summary>
    public string Transport { get; set; } = nameof(TransportKind.InMemory);

    /// <summary>
    /// The in-memory transport loses what its queues hold when the process stops, so the Production environment
    /// refuses it unless this is set (a demo or a test environment that calls itself Production).
    /// </summary>
    public bool AllowInMemoryTransport { get; set; }

    /// <summary>
    /// The Production environment refuses a database connection with TLS disabled and an amqp:// broker URI (see
    /// InsecureTransportCheck) unless this is set: for a hop that stays on a private network the operator vouches for.
    /// </summary>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>Sqlite (default), PostgreSql or SqlServer; reads ConnectionStrings:Payments.</summary>
    public string Database { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Apply pending migrations at start-up.</summary>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>How long an authorisation hold lasts before it expires; card schemes allow about 7 days.</summary>
    public TimeSpan HoldDuration { get; set; } = TimeSpan.FromDays(7);

    public AcquirerOptions Acquirer { get; set; } = new();

    public MessageRetryOptions Retry { get; set; } = new();

    public HealthOptions Health { get; set; } = new();

    public TransportKind TransportKind => Enum.Parse<TransportKind>(Transport, ignoreCase: true);

    public DatabaseProvider DatabaseProvider => Enum.Parse<DatabaseProvider>(Database, ignoreCase: true);
}
