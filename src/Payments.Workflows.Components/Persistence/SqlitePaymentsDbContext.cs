namespace Payments.Workflows.Components.Persistence;

/// <summary>The SQLite context, which owns the SQLite migrations; SQLite has no schemas.</summary>
internal sealed class SqlitePaymentsDbContext(DbContextOptions<SqlitePaymentsDbContext> options) : PaymentsDbContext(options, useSchema: false);
