namespace Payments.Workflows.Messaging.Dialects;

/// <summary>
/// SQLite has no row locks: one writer holds the database at a time, so a transaction that writes first
/// (BEGIN IMMEDIATE semantics through EF's write) is already exclusive. Statements carry no lock clause.
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string ProviderName => "Microsoft.EntityFrameworkCore.Sqlite";

    public string Quote(string identifier) => SqlText.DoubleQuoted(identifier);

    public string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns) =>
        $"SELECT * FROM {Quote(table.Name)} WHERE {SqlText.KeyPredicate(this, keyColumns)}";

    // In-process and under the database's single write lock: one read per row costs no round trip.
    public string? SelectManyForUpdate(TableName table, string keyColumn) => null;

    // UPSERT … RETURNING needs SQLite 3.35; the bundled e_sqlite3 is newer. The write lock is the database's.
    public string UpsertInbox(TableName table, InboxColumns c) =>
        $"INSERT INTO {Quote(table.Name)} {SqlText.InboxInsertColumns(this, c)} " +
        "VALUES ({0}, {1}, {2}, 1, {3}, {2}) " +
        $"ON CONFLICT ({Quote(c.MessageId)}, {Quote(c.ConsumerId)}) DO UPDATE SET {Quote(c.ReceiveCount)} = {Quote(c.ReceiveCount)} + 1, {Quote(c.LockId)} = excluded.{Quote(c.LockId)} " +
        "RETURNING *";

    // The database's single write lock makes one statement per message as safe as one for all; it is in-process.
    public string? UpsertInboxBatch(TableName table, InboxColumns c) => null;

    // No SKIP LOCKED: the claiming transaction holds the single write lock, so a second instance waits its turn.
    public string ClaimDueOutboxMessages(TableName table, OutboxColumns c) =>
        $"SELECT * FROM {Quote(table.Name)} WHERE {SqlText.DueAndNotQuarantined(this, c)} " +
        $"ORDER BY {Quote(c.SequenceNumber)} LIMIT {{1}}";
}
