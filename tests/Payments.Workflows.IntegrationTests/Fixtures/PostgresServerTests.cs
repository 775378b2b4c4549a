using Npgsql;

namespace Payments.Workflows.IntegrationTests.Fixtures;

public sealed class PostgresServerTests(PostgresServer postgres)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_database_is_new_named_for_its_prefix_and_usable()
    {
        var connectionString = await postgres.CreateDatabaseAsync("Fixture-Check", Cancellation);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        var database = (string?)await Sql.Scalar(connection, "SELECT current_database()");
        var tables = (long?)await Sql.Scalar(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
        await Sql.Scalar(connection, "CREATE TABLE ledger_entry (id int PRIMARY KEY, amount numeric(19,4) NOT NULL)");
        await Sql.Scalar(connection, "INSERT INTO ledger_entry VALUES (1, 12.5), (2, -12.5)");
        var balance = (decimal?)await Sql.Scalar(connection, "SELECT sum(amount) FROM ledger_entry");

        Assert.StartsWith("fixture_check_", database, StringComparison.Ordinal);
        Assert.Equal(0, tables);
        Assert.Equal(0m, balance);
    }

    [Fact]
    public async Task Databases_created_for_different_tests_do_not_see_each_others_tables()
    {
        var first = await postgres.CreateDatabaseAsync("isolation", Cancellation);
        var second = await postgres.CreateDatabaseAsync("isolation", Cancellation);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync(Cancellation);
            await Sql.Scalar(connection, "CREATE TABLE only_in_first (id int)");
        }

        await using var other = new NpgsqlConnection(second);
        await other.OpenAsync(Cancellation);
        var seen = await Sql.Scalar(other, "SELECT to_regclass('public.only_in_first')::text");

        Assert.NotEqual(first, second);
        Assert.Null(seen);
    }

    [Fact]
    public async Task A_dropped_database_is_gone_even_with_a_connection_still_open()
    {
        var connectionString = await postgres.CreateDatabaseAsync("dropped", Cancellation);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var open = new NpgsqlConnection(connectionString);
        await open.OpenAsync(Cancellation);

        await postgres.DropDatabaseAsync(connectionString, Cancellation);

        await using var server = new NpgsqlConnection(await postgres.GetConnectionStringAsync(Cancellation));
        await server.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", server);
        command.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task The_fixture_refuses_to_drop_a_database_it_did_not_create()
    {
        var server = await postgres.GetConnectionStringAsync(Cancellation);

        await Assert.ThrowsAsync<ArgumentException>(() => postgres.DropDatabaseAsync(server, Cancellation));
    }

    [Fact]
    public async Task Without_a_server_or_docker_the_failure_says_how_to_get_one()
    {
        await using var nowhere = new PostgresServer(configuredConnectionString: null, startContainer: _ => Task.FromResult<Testcontainers.PostgreSql.PostgreSqlContainer?>(null));

        var failure = await Assert.ThrowsAsync<ServerUnavailableException>(() => nowhere.CreateDatabaseAsync("none", Cancellation));

        Assert.Contains("PAYMENTS_TEST_POSTGRES", failure.Message, StringComparison.Ordinal);
        Assert.Contains("bash infra/scripts/start-services.sh", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Docker engine", failure.Message, StringComparison.Ordinal);
    }
}
