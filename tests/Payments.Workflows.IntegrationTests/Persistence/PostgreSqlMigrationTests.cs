using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.IntegrationTests.Persistence;

public sealed class PostgreSqlMigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task PostgreSql_migrations_apply_to_an_empty_database_in_the_payments_schema()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new DbContextOptionsBuilder<PostgreSqlPaymentsDbContext>();
        PaymentsDatabase.ConfigurePostgreSql(options, await postgres.CreateDatabaseAsync("migrations", ct));
        await using var db = new PostgreSqlPaymentsDbContext(options.Options);

        await db.Database.MigrateAsync(ct);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'payments'").ToListAsync(ct);
        Assert.Contains("Payments", tables);
        Assert.Contains("LedgerTransactions", tables);
        Assert.Contains("LedgerEntries", tables);
    }
}
