using System.Collections.Concurrent;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace Payments.Workflows.IntegrationTests.Fixtures;

/// <summary>
/// The SQL Server of a test run, where there is one: <c>PAYMENTS_TEST_SQLSERVER</c> when set, otherwise a
/// Testcontainers container when a Docker engine answers. Where neither, the tests that need it are skipped
/// (SQL Server is the production database, but our machines run PostgreSQL natively and SQL Server only in Docker).
/// </summary>
public sealed class SqlServerServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PAYMENTS_TEST_SQLSERVER";

    public const string SkipReason = "SQL Server not available: set " + EnvironmentVariable + " or start a Docker engine";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly string? _configuredConnectionString;
    private readonly Func<CancellationToken, Task<MsSqlContainer?>> _startContainer;
    private readonly Lazy<Task<string?>> _server;
    private readonly ConcurrentDictionary<string, byte> _databases = new();
    private MsSqlContainer? _container;

    public SqlServerServer()
        : this(Environment.GetEnvironmentVariable(EnvironmentVariable), StartContainerAsync)
    {
    }

    internal SqlServerServer(string? configuredConnectionString, Func<CancellationToken, Task<MsSqlContainer?>> startContainer)
    {
        _configuredConnectionString = string.IsNullOrWhiteSpace(configuredConnectionString) ? null : configuredConnectionString;
        _startContainer = startContainer;
        _server = new Lazy<Task<string?>>(ConnectAsync);
    }

    /// <summary>Whether there is a server (configured or in Docker), for tests that do more than skip without one.</summary>
    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken = default) =>
        await _server.Value.WaitAsync(cancellationToken) is not null;

    /// <summary>The server's connection string (master database); skips the calling test when there is no server.</summary>
    public async Task<string> GetConnectionStringAsync(CancellationToken cancellationToken = default)
    {
        var server = await _server.Value.WaitAsync(cancellationToken);
        if (server is null)
        {
            Assert.Skip(SkipReason);
        }

        return server;
    }

    /// <summary>Creates an empty database named <c>{prefix}_{random}</c> and returns its connection string; skips the calling test when there is no server.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var server = await GetConnectionStringAsync(cancellationToken);
        var name = UniqueName.Create(prefix);
        await ExecuteAsync(server, $"CREATE DATABASE [{name}]", cancellationToken);
        _databases.TryAdd(name, 0);
        return new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }

    /// <summary>Drops a database that <see cref="CreateDatabaseAsync"/> created, rolling back its open connections.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new SqlConnectionStringBuilder(connectionString).InitialCatalog;
        if (!_databases.ContainsKey(name))
        {
            throw new ArgumentException($"Database '{name}' was not created by this fixture; refusing to drop it.", nameof(connectionString));
        }

        using (var connection = new SqlConnection(connectionString))
        {
            SqlConnection.ClearPool(connection);
        }

        await DropAsync(await GetConnectionStringAsync(cancellationToken), name, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated && _server.Value.IsCompletedSuccessfully && _server.Value.Result is { } server)
        {
            foreach (var name in _databases.Keys)
            {
                await DropAsync(server, name, CancellationToken.None);
            }
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private async Task<string?> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        if (_configuredConnectionString is not null)
        {
            try
            {
                await ExecuteAsync(_configuredConnectionString, "SELECT 1", timeout.Token);
            }
            catch (Exception exception) when (exception is SqlException or ArgumentException)
            {
                // Configured but broken is a mistake to report, not a reason to skip.
                throw new ServerUnavailableException(
                    $"{EnvironmentVariable} is set but SQL Server does not answer with it ({exception.Message}).", exception);
            }

            return _configuredConnectionString;
        }

        _container = await _startContainer(timeout.Token);
        return _container?.GetConnectionString();
    }

    private async Task DropAsync(string server, string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            server,
            $"IF DB_ID(N'{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END",
            cancellationToken);
        _databases.TryRemove(name, out _);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task<MsSqlContainer?> StartContainerAsync(CancellationToken cancellationToken) =>
        DockerEngine.TryStartAsync(
            () => new MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build(),
            "SQL Server",
            cancellationToken);
}
