using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Persistence;

internal static class PaymentsDatabase
{
    public const string DefaultSqliteConnectionString = "Data Source=data/payments.db";

    /// <summary>
    /// Registers <see cref="PaymentsDbContext"/> as the provider's subclass, which carries its migrations. Contexts come
    /// from a pool: every consumed message opens a scope and a context, and a fresh one would build its options and
    /// EF's internal services each time; a pooled one is reset and reused. The options are built once.
    /// </summary>
    public static IServiceCollection AddPaymentsDatabase(this IServiceCollection services, DatabaseProvider provider, string? connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(connectionString);
                services.AddDbContextPool<PaymentsDbContext, SqlitePaymentsDbContext>(o => ConfigureSqlite(o, sqlite));
                break;
            case DatabaseProvider.PostgreSql:
                var postgres = WithAutoPrepare(connectionString!);
                services.AddDbContextPool<PaymentsDbContext, PostgreSqlPaymentsDbContext>(o => ConfigurePostgreSqlPrepared(o, postgres));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<PaymentsDbContext, SqlServerPaymentsDbContext>(o => ConfigureSqlServer(o, connectionString!));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        return services;
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable));

    public static DbContextOptionsBuilder ConfigurePostgreSql(DbContextOptionsBuilder options, string connectionString) =>
        ConfigurePostgreSqlPrepared(options, WithAutoPrepare(connectionString));

    private static DbContextOptionsBuilder ConfigurePostgreSqlPrepared(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable, PaymentsDbContext.Schema));

    /// <summary>Statements Npgsql keeps prepared per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Turns on Npgsql's automatic preparation (<see cref="DefaultMaxAutoPrepare"/> statements per connection, each
    /// prepared once it has run five times there) unless the connection string sets <c>Max Auto Prepare</c> itself.
    /// The inbox upsert, the saga's locked read and the outbox inserts repeat on every message, and a prepared statement
    /// skips PostgreSQL's parse and plan. <c>Max Auto Prepare=0</c> turns it off, e.g. behind a pooler in transaction
    /// mode that does not keep prepared statements.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = DefaultMaxAutoPrepare }.ConnectionString;
    }

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable, PaymentsDbContext.Schema));

    /// <summary>Creates the SQLite file's folder so the embedded default runs from a fresh clone.</summary>
    public static string PrepareSqlite(string? connectionString)
    {
        var given = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString;
        var builder = new SqliteConnectionStringBuilder(given);

        // Writers queue on SQLite's single write lock instead of failing at once, for 30 s unless the connection
        // string says otherwise (Default Timeout=<seconds>).
        var keys = new DbConnectionStringBuilder { ConnectionString = given };
        if (!keys.ContainsKey("Default Timeout") && !keys.ContainsKey("Command Timeout"))
            builder.DefaultTimeout = 30;
        if (builder.Mode != SqliteOpenMode.Memory && !builder.DataSource.StartsWith(':') && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        return builder.ToString();
    }
}
