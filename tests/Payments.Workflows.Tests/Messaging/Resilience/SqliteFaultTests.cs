using Microsoft.Data.Sqlite;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Tests.Messaging.Resilience;

/// <summary>SQLite's own errors, produced for real on a database file that two connections share.</summary>
public sealed class SqliteFaultTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"transient-{Guid.NewGuid():N}.db");

    public SqliteFaultTests()
    {
        using var connection = Open();
        Execute(connection, "CREATE TABLE Rows (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)");
        Execute(connection, "INSERT INTO Rows (Id, Name) VALUES (1, 'first')");
    }

    [Fact]
    public void A_write_refused_while_another_connection_holds_the_write_lock_is_transient_contention()
    {
        using var holder = Open();
        using var lockHeld = holder.BeginTransaction(deferred: false);   // BEGIN IMMEDIATE: the one write lock

        var busy = Refused("INSERT INTO Rows (Id, Name) VALUES (2, 'second')");

        Assert.Equal(5, busy.SqliteErrorCode);   // SQLITE_BUSY, "database is locked"
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(busy));
    }

    [Fact]
    public void A_read_of_a_table_another_shared_cache_connection_is_writing_is_transient_contention()
    {
        var sharedCache = $"Data Source=file:transient-{Guid.NewGuid():N}?mode=memory&cache=shared;Default Timeout=1";
        using var holder = new SqliteConnection(sharedCache);
        holder.Open();
        Execute(holder, "CREATE TABLE Rows (Id INTEGER PRIMARY KEY)");
        using var writing = holder.BeginTransaction();
        Execute(holder, "INSERT INTO Rows (Id) VALUES (1)", writing);

        using var reader = new SqliteConnection(sharedCache);
        reader.Open();
        var locked = Assert.Throws<SqliteException>(() => Execute(reader, "SELECT count(*) FROM Rows"));

        Assert.Equal(6, locked.SqliteErrorCode);   // SQLITE_LOCKED (extended: SQLITE_LOCKED_SHAREDCACHE, 262)
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(locked));
    }

    [Fact]
    public async Task A_save_refused_by_a_busy_database_is_transient_through_ef_cores_wrapper()
    {
        using var holder = Open();
        using var lockHeld = holder.BeginTransaction(deferred: false);
        await using var db = new RowsContext(ConnectionString);
        db.Rows.Add(new Row { Id = 2, Name = "second" });

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.IsType<SqliteException>(failure.InnerException);
        Assert.True(TransientFaults.IsTransient(failure));
        Assert.True(TransientFaults.IsRetriable(failure));
    }

    [Fact]
    public void A_constraint_violation_is_permanent()
    {
        var duplicate = Refused("INSERT INTO Rows (Id, Name) VALUES (1, 'again')");
        var missingName = Refused("INSERT INTO Rows (Id) VALUES (3)");

        Assert.Equal(19, duplicate.SqliteErrorCode);   // SQLITE_CONSTRAINT
        Assert.False(TransientFaults.IsTransient(duplicate));
        Assert.False(TransientFaults.IsTransient(missingName));
    }

    [Fact]
    public async Task A_first_insert_that_loses_to_an_existing_row_is_retriable_but_not_transient()
    {
        await using var db = new RowsContext(ConnectionString);
        db.Rows.Add(new Row { Id = 1, Name = "again" });

        var conflict = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.False(TransientFaults.IsTransient(conflict));
        Assert.True(TransientFaults.IsRetriable(conflict));
    }

    [Fact]
    public void A_syntax_error_is_permanent()
    {
        var syntax = Refused("SELEC 1");

        Assert.Null(TransientFaults.Classify(syntax));
        Assert.False(TransientFaults.IsRetriable(syntax));
    }

    [Fact]
    public void A_disk_io_error_is_a_transient_database_fault()
    {
        // Not provoked here (that needs the file made unwritable under SQLite, as the audit's probe R13 did with
        // chattr +i); this is the exception it produced, SQLITE_IOERR_WRITE (778).
        var ioError = new SqliteException("SQLite Error 10: 'disk I/O error'.", 10, 778);

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(ioError));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private string ConnectionString => $"Data Source={_file};Pooling=False;Default Timeout=1";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own, and SQLite must refuse it.</summary>
    private SqliteException Refused(string sql)
    {
        using var connection = Open();
        return Assert.Throws<SqliteException>(() => Execute(connection, sql));
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private sealed class RowsContext(string connectionString) : DbContext
    {
        public DbSet<Row> Rows => Set<Row>();

        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
            optionsBuilder.UseSqlite(connectionString);
    }

    private sealed class Row
    {
        public int Id { get; set; }

        public required string Name { get; set; }
    }
}
