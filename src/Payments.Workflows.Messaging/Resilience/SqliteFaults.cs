using Microsoft.Data.Sqlite;

namespace Payments.Workflows.Messaging.Resilience;

/// <summary>SQLite (Microsoft.Data.Sqlite): which errors pass by themselves.</summary>
internal static class SqliteFaults
{
    // SQLite has one writer at a time. SQLITE_BUSY (5) and SQLITE_LOCKED (6) mean another connection held the lock
    // past the busy timeout; it ends when that writer commits. SQLITE_IOERR (10) means the operating system refused a
    // read, write, sync or lock on the database file: the file, not the statement, is at fault. The audit saw it pass
    // (probes R13-R15: files unwritable for 8 s, the in-flight commit failed with "disk I/O error", the next payment
    // succeeded), whereas sending that message to _error stranded its payment. A disk that stays broken stops every
    // message alike, which an operator sees at once; it is not a fault of one message. Extended result codes keep
    // the primary code in their low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int IoError = 10;

    public static TransientFaultKind? Classify(Exception exception) => exception switch
    {
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked => TransientFaultKind.Contention,
            IoError => TransientFaultKind.Database,
            _ => null,
        },
        _ => null,
    };
}
