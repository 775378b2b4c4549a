using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Payments.Workflows.Components.Persistence;

// Let `dotnet ef migrations add` build each provider's context without a running host or server.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaymentsDbContext>
{
    public SqlitePaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqlitePaymentsDbContext>)PaymentsDatabase.ConfigureSqlite(new DbContextOptionsBuilder<SqlitePaymentsDbContext>(), "Data Source=design.db").Options);
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPaymentsDbContext>
{
    public PostgreSqlPaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgreSqlPaymentsDbContext>)PaymentsDatabase.ConfigurePostgreSql(new DbContextOptionsBuilder<PostgreSqlPaymentsDbContext>(), "Host=localhost;Database=design").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerPaymentsDbContext>
{
    public SqlServerPaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqlServerPaymentsDbContext>)PaymentsDatabase.ConfigureSqlServer(new DbContextOptionsBuilder<SqlServerPaymentsDbContext>(), "Server=localhost;Database=design;TrustServerCertificate=true").Options);
}
