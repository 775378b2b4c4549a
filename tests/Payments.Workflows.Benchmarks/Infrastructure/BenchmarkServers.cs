using Microsoft.Data.Sqlite;
using Npgsql;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Benchmarks.Infrastructure;

/// <summary>
/// The servers of one benchmark run, provisioned as the integration tests do: a database per workload on the
/// PostgreSQL server (or a SQLite file) and one virtual host on RabbitMQ, all removed when the run ends.
/// Other users of the same servers are untouched.
/// </summary>
public sealed class BenchmarkServers : IAsyncDisposable
{
    private readonly BenchmarkOptions _options;
    private readonly PostgresServer? _postgres;
    private readonly RabbitMqServer? _rabbitMq;
    private readonly string _sqliteFolder = Path.Combine(Path.GetTempPath(), $"payments-bench-{Guid.NewGuid():N}");
    private readonly List<string> _databases = [];

    private BenchmarkServers(BenchmarkOptions options)
    {
        _options = options;
        if (options.Database == BenchmarkDatabase.PostgreSql)
            _postgres = new PostgresServer();
        if (options.Transport == BenchmarkTransport.RabbitMq)
            _rabbitMq = new RabbitMqServer();
    }

    /// <summary>A first virtual host, made at start so a missing broker fails the run before any work (null on the in-memory transport).</summary>
    public Uri? VirtualHost { get; private set; }

    public string? PostgresVersion { get; private set; }

    public static async Task<BenchmarkServers> Start(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var servers = new BenchmarkServers(options);
        try
        {
            if (servers._rabbitMq is not null)
                servers.VirtualHost = await servers._rabbitMq.CreateVirtualHostAsync("bench", cancellationToken);
            if (servers._postgres is not null)
            {
                await using var connection = new NpgsqlConnection(await servers._postgres.GetConnectionStringAsync(cancellationToken));
                await connection.OpenAsync(cancellationToken);
                servers.PostgresVersion = connection.PostgreSqlVersion.ToString();
            }
            else
            {
                Directory.CreateDirectory(servers._sqliteFolder);
            }

            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new virtual host for one workload, so no run sees another's queues or bindings (null on the in-memory transport).</summary>
    public async Task<Uri?> CreateVirtualHost(string prefix, CancellationToken cancellationToken) =>
        _rabbitMq is null ? null : await _rabbitMq.CreateVirtualHostAsync("bench-" + prefix, cancellationToken);

    /// <summary>A new, empty database for one workload; its connection string.</summary>
    public async Task<string> CreateDatabase(string prefix, CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            var connectionString = await _postgres.CreateDatabaseAsync("bench_" + prefix, cancellationToken);
            _databases.Add(connectionString);
            return connectionString;
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_sqliteFolder, $"{prefix}.db"),
            // Writers queue on SQLite's single write lock instead of failing at once.
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The benchmark's own contexts connect as the service does (automatic statement preparation on PostgreSQL).</summary>
    public void Configure(DbContextOptionsBuilder builder, string connectionString)
    {
        if (_options.Database == BenchmarkDatabase.PostgreSql)
            builder.UseNpgsql(PaymentsDatabase.WithNpgsqlDefaults(connectionString));
        else
            builder.UseSqlite(connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rabbitMq is not null)
            await _rabbitMq.DisposeAsync();
        if (_postgres is not null)
        {
            foreach (var connectionString in _databases)
                await _postgres.DropDatabaseAsync(connectionString, CancellationToken.None);
            await _postgres.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_sqliteFolder))
            Directory.Delete(_sqliteFolder, recursive: true);
    }
}
