using Microsoft.Data.SqlClient;

namespace Payments.Workflows.IntegrationTests.Fixtures;

public sealed class SqlServerServerTests(SqlServerServer sqlServer)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_sql_server_database_is_new_usable_and_can_be_dropped()
    {
        var connectionString = await sqlServer.CreateDatabaseAsync("fixture", Cancellation);
        var name = new SqlConnectionStringBuilder(connectionString).InitialCatalog;

        await using (var connection = new SqlConnection(connectionString))
        {
            await connection.OpenAsync(Cancellation);
            Assert.Equal(name, await Sql.Scalar(connection, "SELECT DB_NAME()"));
            Assert.Equal(0, await Sql.Scalar(connection, "SELECT COUNT(*) FROM sys.tables"));
            await Sql.Scalar(connection, "CREATE TABLE ledger_entry (id int PRIMARY KEY, amount decimal(19,4) NOT NULL)");
            await Sql.Scalar(connection, "INSERT INTO ledger_entry VALUES (1, 12.5), (2, -12.5)");
            Assert.Equal(0m, await Sql.Scalar(connection, "SELECT SUM(amount) FROM ledger_entry"));
        }

        await sqlServer.DropDatabaseAsync(connectionString, Cancellation);

        await using var server = new SqlConnection(await sqlServer.GetConnectionStringAsync(Cancellation));
        await server.OpenAsync(Cancellation);
        Assert.Null(await Sql.Scalar(server, $"SELECT DB_ID(N'{name}')"));
    }

    [Fact]
    public async Task Without_a_server_or_docker_tests_that_need_one_are_skipped_with_the_reason()
    {
        await using var nowhere = new SqlServerServer(null, _ => Task.FromResult<Testcontainers.MsSql.MsSqlContainer?>(null));

        // Assert.Skip works by throwing; catch it here so this test checks the reason instead of being skipped.
        Exception? skipped = null;
        try
        {
            await nowhere.CreateDatabaseAsync("none", Cancellation);
        }
        catch (Exception exception)
        {
            skipped = exception;
        }

        Assert.False(await nowhere.IsAvailableAsync(Cancellation));
        Assert.NotNull(skipped);
        Assert.Contains(SqlServerServer.SkipReason, skipped.Message, StringComparison.Ordinal);
    }
}
