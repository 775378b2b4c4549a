namespace Payments.Workflows.Components.Persistence;

/// <summary>The SqlServer context, which owns the SqlServer migrations; its tables live in <see cref="PaymentsDbContext.Schema"/>.</summary>
internal sealed class SqlServerPaymentsDbContext(DbContextOptions<SqlServerPaymentsDbContext> options) : PaymentsDbContext(options);
