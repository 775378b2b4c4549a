using Microsoft.EntityFrameworkCore.Design;

namespace Payments.Workflows.Components.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a running host or server.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPaymentsDbContext>
{
    public PostgreSqlPaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgreSqlPaymentsDbContext>)PaymentsDatabase.ConfigurePostgreSql(new DbContextOptionsBuilder<PostgreSqlPaymentsDbContext>(), "Host=localhost;Database=design").Options);
}
