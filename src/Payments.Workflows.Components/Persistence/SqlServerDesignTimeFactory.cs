using Microsoft.EntityFrameworkCore.Design;

namespace Payments.Workflows.Components.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without a running host or server.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerPaymentsDbContext>
{
    public SqlServerPaymentsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqlServerPaymentsDbContext>)PaymentsDatabase.ConfigureSqlServer(new DbContextOptionsBuilder<SqlServerPaymentsDbContext>(), "Server=localhost;Database=design;TrustServerCertificate=true").Options);
}
