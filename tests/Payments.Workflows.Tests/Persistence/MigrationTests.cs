using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Payments.Workflows.Tests.Persistence;

public sealed class MigrationTests
{
    public static TheoryData<string> Providers => ["Sqlite", "PostgreSql", "SqlServer"];

    private static PaymentsDbContext Context(string provider) => provider switch
    {
        "Sqlite" => new SqliteDesignTimeFactory().CreateDbContext([]),
        "PostgreSql" => new PostgreSqlDesignTimeFactory().CreateDbContext([]),
        _ => new SqlServerDesignTimeFactory().CreateDbContext([]),
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Each_provider_has_migrations_that_match_the_model(string provider)
    {
        using var db = Context(provider);

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The model has changes with no {provider} migration: run dotnet ef migrations add.");
    }

    [Fact]
    public async Task Sqlite_migrations_apply_to_an_empty_database()
    {
        var file = Path.Combine(Path.GetTempPath(), $"migrations-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<SqlitePaymentsDbContext>();
        PaymentsDatabase.ConfigureSqlite(options, $"Data Source={file};Pooling=false");
        await using (var db = new SqlitePaymentsDbContext(options.Options))
        {
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.Payments.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(0, await db.LedgerEntries.CountAsync(TestContext.Current.CancellationToken));
        }

        File.Delete(file);
    }

    [Fact]
    public void Sql_server_script_creates_the_schema_with_the_ledger_key_that_makes_postings_unique()
    {
        using var db = Context("SqlServer");

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [payments].[Payments]", script, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT [PK_LedgerTransactions] PRIMARY KEY ([TransactionId])", script, StringComparison.Ordinal);
        Assert.Contains("[payments].[__EFMigrationsHistory]", script, StringComparison.Ordinal);
    }
}
