namespace Payments.Workflows.Components.Persistence;

/// <summary>The PostgreSql context, which owns the PostgreSql migrations; its tables live in <see cref="PaymentsDbContext.Schema"/>.</summary>
internal sealed class PostgreSqlPaymentsDbContext(DbContextOptions<PostgreSqlPaymentsDbContext> options) : PaymentsDbContext(options);
