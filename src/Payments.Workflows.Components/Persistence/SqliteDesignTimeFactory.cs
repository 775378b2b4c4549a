using Microsoft.EntityFrameworkCore.Design;

namespace Payments.Workflows.Components.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a running host or server.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaymentsDbContext>
{
    public SqlitePaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqlitePaymentsDbContext>)PaymentsDatabase.ConfigureSqlite(new DbContextOptionsBuilder<SqlitePaymentsDbContext>(), "Data Source=design.db").Options);
}
