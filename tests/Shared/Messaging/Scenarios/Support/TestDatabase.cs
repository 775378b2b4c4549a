using Microsoft.Data.Sqlite;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>A database the messaging tests run on; each instance is a fresh, empty database.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    void Configure(DbContextOptionsBuilder options);

    Task Create();
}

/// <summary>A throwaway SQLite file (several connections must see one database, so not :memory:).</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"messaging-{Guid.NewGuid():N}.db");

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

    public void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public async Task Create()
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        Configure(options);
        await using var db = new TestDbContext(options.Options);
        await db.Database.EnsureCreatedAsync();

        // WAL lets readers (the delivery probe, the recorder) run beside the single writer.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                File.Delete(_path + suffix);
            }
            catch (IOException)
            {
                // A handle may linger until finalisation; a temp file left behind is harmless.
            }
        }

        return ValueTask.CompletedTask;
    }
}
