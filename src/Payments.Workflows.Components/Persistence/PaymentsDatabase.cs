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
                var postgres = WithNpgsqlDefaults(connectionString!);
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
        ConfigurePostgreSqlPrepared(options, WithNpgsqlDefaults(connectionString));

    private static DbContextOptionsBuilder ConfigurePostgreSqlPrepared(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable, PaymentsDbContext.Schema));

    /// <summary>Statements Npgsql keeps prepared per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Npgsql settings the connection string does not set itself:
    /// <list type="bullet">
    /// <item>Automatic preparation (<see cref="DefaultMaxAutoPrepare"/> statements per connection, each prepared once it
    /// has run five times there). The inbox upsert, the saga's locked read and the outbox inserts repeat on every
    /// message, and a prepared statement skips PostgreSQL's parse and plan. <c>Max Auto Prepare=0</c> turns it off,
    /// e.g. behind a pooler in transaction mode that does not keep prepared statements.</item>
    /// <item><c>No Reset On Close=true</c>. With prepared statements Npgsql cannot reset a pooled connection with
    /// <c>DISCARD ALL</c>; it sends seven reset statements instead each time a connection returns to the pool, once per
    /// consumed message. The service sets no session state (no <c>SET</c>, <c>LISTEN</c>, advisory locks or temporary
    /// tables), so there is nothing to reset. Measured in the benchmark (README there, "Levers").</item>
    /// </list>
    /// </summary>
    public static string WithNpgsqlDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var changed = false;
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            changed = true;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
            changed = true;
        }

        return changed ? builder.ConnectionString : connectionString;
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
