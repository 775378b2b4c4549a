using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Persistence;

public static class PaymentsDatabase
{
    public const string DefaultSqliteConnectionString = "Data Source=data/payments.db";

    /// <summary>Registers the scoped <see cref="PaymentsDbContext"/> as the provider's subclass, which carries its migrations.</summary>
    public static IServiceCollection AddPaymentsDatabase(this IServiceCollection services, DatabaseProvider provider, string? connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = PrepareSqlite(connectionString);
                services.AddDbContext<PaymentsDbContext, SqlitePaymentsDbContext>(o => ConfigureSqlite(o, sqlite));
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContext<PaymentsDbContext, PostgreSqlPaymentsDbContext>(o => ConfigurePostgreSql(o, connectionString!));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContext<PaymentsDbContext, SqlServerPaymentsDbContext>(o => ConfigureSqlServer(o, connectionString!));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        return services;
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable));

    public static DbContextOptionsBuilder ConfigurePostgreSql(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable, PaymentsDbContext.Schema));

    public static DbContextOptionsBuilder ConfigureSqlServer(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, o => o.MigrationsHistoryTable(PaymentsDbContext.MigrationsHistoryTable, PaymentsDbContext.Schema));

    /// <summary>Creates the SQLite file's folder so the embedded default runs from a fresh clone.</summary>
    public static string PrepareSqlite(string? connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString)
        {
            // Writers queue on SQLite's single write lock instead of failing at once.
            DefaultTimeout = 30,
        };
        if (builder.Mode != SqliteOpenMode.Memory && !builder.DataSource.StartsWith(':') && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        return builder.ToString();
    }
}
