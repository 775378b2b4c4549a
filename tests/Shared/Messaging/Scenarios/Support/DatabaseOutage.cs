using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// While <see cref="Active"/>, every connection a host's DbContext opens and every command it runs fails the way the
/// database fails when it is away: SQLite with the SQLITE_BUSY error of a real busy database, PostgreSQL with the
/// NpgsqlException of a real refused connection.
/// </summary>
public sealed class DatabaseOutage : DbConnectionInterceptor, IDbCommandInterceptor
{
    // Produced once per process, for real: a write refused while another connection holds SQLite's write lock.
    private static readonly Lazy<SqliteException> SqliteBusy = new(ProvokeSqliteBusy);

    private volatile bool _active;
    private int _refusals;

    public bool Active
    {
        get => _active;
        set => _active = value;
    }

    /// <summary>Operations refused so far: each one is an attempt some service made during the outage.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Refuse(connection);
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await RefuseAsync(connection);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Refuse(command.Connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await RefuseAsync(command.Connection);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Refuse(command.Connection);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await RefuseAsync(command.Connection);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Refuse(command.Connection);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await RefuseAsync(command.Connection);
        return result;
    }

    private void Refuse(DbConnection? connection) => RefuseAsync(connection).AsTask().GetAwaiter().GetResult();

    private async ValueTask RefuseAsync(DbConnection? connection)
    {
        if (!_active)
            return;

        Interlocked.Increment(ref _refusals);
        switch (connection)
        {
            case SqliteConnection:
                var busy = SqliteBusy.Value;
                throw new SqliteException(busy.Message, busy.SqliteErrorCode, busy.SqliteExtendedErrorCode);
            case NpgsqlConnection:
                await using (var refused = new NpgsqlConnection("Host=127.0.0.1;Port=1;Timeout=2;Username=nobody;Password=nothing;Pooling=false"))
                    await refused.OpenAsync();
                throw new InvalidOperationException("A connection to port 1 was expected to be refused.");
            default:
                throw new NotSupportedException($"No outage for {connection?.GetType().Name ?? "a command without a connection"}.");
        }
    }

    private static SqliteException ProvokeSqliteBusy()
    {
        var file = Path.Combine(Path.GetTempPath(), $"busy-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={file};Pooling=False;Default Timeout=1";
        try
        {
            using var holder = new SqliteConnection(connectionString);
            holder.Open();
            using (var create = holder.CreateCommand())
            {
                create.CommandText = "CREATE TABLE Rows (Id INTEGER PRIMARY KEY)";
                create.ExecuteNonQuery();
            }

            using var writeLock = holder.BeginTransaction(deferred: false);
            using var writer = new SqliteConnection(connectionString);
            writer.Open();
            using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO Rows (Id) VALUES (1)";
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException busy)
            {
                return busy;
            }

            throw new InvalidOperationException("SQLite accepted a write while another connection held the write lock.");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
