using Npgsql;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.IntegrationTests.Messaging;

/// <summary>
/// A uniquely named database on the PostgreSQL server named by <c>PAYMENTS_TEST_POSTGRES</c>, created empty and
/// dropped afterwards. Small and self-contained on purpose: the shared fixture can replace it later.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    public const string Variable = "PAYMENTS_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name = $"messaging_{Guid.NewGuid():N}";

    public PostgresTestDatabase()
    {
        _server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: set PAYMENTS_TEST_POSTGRES (bash infra/scripts/start-services.sh), " +
                "e.g. Host=127.0.0.1;Username=payments;Password=payments;Database=payments");
    }

    private string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ToString();

    public void Configure(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public async Task Create()
    {
        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var options = new DbContextOptionsBuilder<TestDbContext>();
        Configure(options);
        await using var db = new TestDbContext(options.Options);
        await db.Database.EnsureCreatedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
