using Microsoft.Data.Sqlite;

namespace Payments.Workflows.Tests.Support;

/// <summary>A SQLite database file in a temporary folder of its own; disposing deletes the folder.</summary>
public sealed class TestSqliteFile : IDisposable
{
    private readonly string _folder;

    /// <param name="purpose">The temp sub-folder the test's folder goes in, e.g. "payments-tests".</param>
    public TestSqliteFile(string purpose)
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    public string Path => System.IO.Path.Combine(_folder, "payments.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves litter in the temp folder.
        }
    }
}
