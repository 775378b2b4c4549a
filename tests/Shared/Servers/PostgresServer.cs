using System.Collections.Concurrent;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Payments.Workflows.Testing.Servers;

/// <summary>
/// The PostgreSQL server of a test run: <c>PAYMENTS_TEST_POSTGRES</c> when set (see infra/README.md),
/// otherwise a Testcontainers container when a Docker engine answers. Each test takes its own database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PAYMENTS_TEST_POSTGRES";

    public const string UnavailableMessage =
        "PostgreSQL is not available: set " + EnvironmentVariable +
        " (e.g. run `bash infra/scripts/start-services.sh`) or start a Docker engine for Testcontainers.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string? _configuredConnectionString;
    private readonly Func<CancellationToken, Task<PostgreSqlContainer?>> _startContainer;
    private readonly Lazy<Task<string>> _server;
    private readonly ConcurrentDictionary<string, byte> _databases = new();
    private PostgreSqlContainer? _container;

    public PostgresServer()
        : this(Environment.GetEnvironmentVariable(EnvironmentVariable), StartContainerAsync)
    {
    }

    internal PostgresServer(string? configuredConnectionString, Func<CancellationToken, Task<PostgreSqlContainer?>> startContainer)
    {
        _configuredConnectionString = string.IsNullOrWhiteSpace(configuredConnectionString) ? null : configuredConnectionString;
        _startContainer = startContainer;
        _server = new Lazy<Task<string>>(ConnectAsync);
    }

    /// <summary>The server's own connection string (its default database). Prefer <see cref="CreateDatabaseAsync"/>.</summary>
    public Task<string> GetConnectionStringAsync(CancellationToken cancellationToken = default) =>
        _server.Value.WaitAsync(cancellationToken);

    /// <summary>Creates an empty database named <c>{prefix}_{random}</c> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var server = await GetConnectionStringAsync(cancellationToken);
        var name = UniqueName.Create(prefix);
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"", cancellationToken);
        _databases.TryAdd(name, 0);
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database that <see cref="CreateDatabaseAsync"/> created, closing its open connections.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (name is null || !_databases.ContainsKey(name))
        {
            throw new ArgumentException($"Database '{name}' was not created by this fixture; refusing to drop it.", nameof(connectionString));
        }

        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await DropAsync(await GetConnectionStringAsync(cancellationToken), name, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated && _server.Value.IsCompletedSuccessfully)
        {
            foreach (var name in _databases.Keys)
            {
                await DropAsync(_server.Value.Result, name, CancellationToken.None);
            }
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private async Task<string> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        if (_configuredConnectionString is not null)
        {
            try
            {
                await ExecuteAsync(_configuredConnectionString, "SELECT 1", timeout.Token);
            }
            catch (Exception exception) when (exception is NpgsqlException or ArgumentException)
            {
                throw new ServerUnavailableException(
                    $"{EnvironmentVariable} is set but PostgreSQL does not answer with it ({exception.Message}); " +
                    "start it with `bash infra/scripts/start-services.sh`.",
                    exception);
            }

            return _configuredConnectionString;
        }

        _container = await _startContainer(timeout.Token) ?? throw new ServerUnavailableException(UnavailableMessage);
        return _container.GetConnectionString();
    }

    private async Task DropAsync(string server, string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
        _databases.TryRemove(name, out _);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task<PostgreSqlContainer?> StartContainerAsync(CancellationToken cancellationToken) =>
        DockerEngine.TryStartAsync(
            () => new PostgreSqlBuilder("postgres:15")
                .WithUsername("payments")
                .WithPassword("payments")
                .WithDatabase("payments")
                .Build(),
            "PostgreSQL",
            cancellationToken);
}
