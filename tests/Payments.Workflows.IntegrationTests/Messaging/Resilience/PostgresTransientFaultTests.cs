using Npgsql;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.IntegrationTests.Messaging.Resilience;

/// <summary>PostgreSQL's errors provoked for real, each test on its own database, and how they are classified.</summary>
public sealed class PostgresTransientFaultTests(PostgresServer postgres) : IAsyncLifetime
{
    private string _database = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("transient", Ct)) { Pooling = false }.ConnectionString;
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, 100), (2, 100)");
    }

    public async ValueTask DisposeAsync() => await postgres.DropDatabaseAsync(_database, CancellationToken.None);

    [Fact]
    public async Task A_deadlock_victim_is_transient_contention()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        await ExecuteAsync(first, "BEGIN; UPDATE accounts SET balance = balance - 1 WHERE id = 1");
        await ExecuteAsync(second, "BEGIN; UPDATE accounts SET balance = balance - 1 WHERE id = 2");

        // Each now waits for the row the other holds; after deadlock_timeout the server aborts one of them.
        var firstWaits = ExecuteAsync(first, "UPDATE accounts SET balance = balance + 1 WHERE id = 2");
        var secondWaits = ExecuteAsync(second, "UPDATE accounts SET balance = balance + 1 WHERE id = 1");
        Exception?[] outcomes = [await Record.ExceptionAsync(() => firstWaits), await Record.ExceptionAsync(() => secondWaits)];

        var deadlock = Assert.IsType<PostgresException>(Assert.Single(outcomes, outcome => outcome is not null));
        Assert.Equal(PostgresErrorCodes.DeadlockDetected, deadlock.SqlState);
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(deadlock));
    }

    [Fact]
    public async Task A_serialization_failure_is_transient_contention()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        await ExecuteAsync(first, "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT sum(balance) FROM accounts");
        await ExecuteAsync(second, "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT sum(balance) FROM accounts");
        await ExecuteAsync(first, "UPDATE accounts SET balance = 0 WHERE id = 1; COMMIT");

        // The second transaction's snapshot predates the first's commit, so it may not update the same row.
        var conflict = await RefusedAsync(second, "UPDATE accounts SET balance = 50 WHERE id = 1", PostgresErrorCodes.SerializationFailure);

        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(conflict));
    }

    [Fact]
    public async Task A_connection_terminated_by_the_administrator_is_a_transient_database_fault()
    {
        await using var victim = await OpenAsync();
        await using (var administrator = await OpenAsync())
        {
            await ExecuteAsync(administrator, $"SELECT pg_terminate_backend({victim.ProcessID})");
        }

        var terminated = await RefusedAsync(victim, "SELECT 1", PostgresErrorCodes.AdminShutdown);

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(terminated));
    }

    [Fact]
    public async Task A_lock_not_available_is_transient_contention()
    {
        await using var holder = await OpenAsync();
        await using var other = await OpenAsync();
        await ExecuteAsync(holder, "BEGIN; SELECT * FROM accounts WHERE id = 1 FOR UPDATE");

        var refused = await RefusedAsync(other, "SELECT * FROM accounts WHERE id = 1 FOR UPDATE NOWAIT", PostgresErrorCodes.LockNotAvailable);

        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(refused));
    }

    [Fact]
    public async Task A_statement_timeout_is_a_transient_timeout()
    {
        await using var connection = await OpenAsync();

        var cancelled = await RefusedAsync(connection, "SET statement_timeout = 50; SELECT pg_sleep(5)", PostgresErrorCodes.QueryCanceled);

        Assert.Equal(TransientFaultKind.Timeout, TransientFaults.Classify(cancelled));
    }

    [Fact]
    public async Task A_unique_violation_is_permanent()
    {
        await using var connection = await OpenAsync();

        var duplicate = await RefusedAsync(connection, "INSERT INTO accounts VALUES (1, 0)", PostgresErrorCodes.UniqueViolation);

        Assert.False(TransientFaults.IsTransient(duplicate));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_permanent()
    {
        await using var connection = await OpenAsync();

        var malformed = await RefusedAsync(connection, "SELECT 'not a number'::int", PostgresErrorCodes.InvalidTextRepresentation);

        Assert.False(TransientFaults.IsTransient(malformed));
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_permanent()
    {
        var missing = new NpgsqlConnectionStringBuilder(_database) { Database = $"{new NpgsqlConnectionStringBuilder(_database).Database}_missing" };
        await using var connection = new NpgsqlConnection(missing.ConnectionString);

        var notFound = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(Ct));

        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, notFound.SqlState);
        Assert.False(TransientFaults.IsTransient(notFound));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/>, which the server must refuse with <paramref name="sqlState"/>; returns the refusal.</summary>
    private static async Task<PostgresException> RefusedAsync(NpgsqlConnection connection, string sql, string sqlState)
    {
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.Equal(sqlState, refusal.SqlState);
        return refusal;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
