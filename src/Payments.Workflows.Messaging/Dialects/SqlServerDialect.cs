namespace Payments.Workflows.Messaging.Dialects;

/// <summary>
/// UPDLOCK + ROWLOCK holds an update lock on the row until commit. No SERIALIZABLE hint: its key-range locks
/// made unrelated consumers wait on each other (MassTransit PR #4723).
/// </summary>
public sealed class SqlServerDialect : ISqlDialect
{
    public static readonly SqlServerDialect Instance = new();

    public string ProviderName => "Microsoft.EntityFrameworkCore.SqlServer";

    public string Quote(string identifier) => $"[{identifier.Replace("]", "]]", StringComparison.Ordinal)}]";

    public string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns) =>
        $"SELECT * FROM {SqlText.Qualified(this, table)} WITH (UPDLOCK, ROWLOCK) WHERE {SqlText.KeyPredicate(this, keyColumns)}";

    // A table-valued parameter would need a user-defined type: one locked read per row.
    public string? SelectManyForUpdate(TableName table, string keyColumn) => null;

    // MERGE with HOLDLOCK closes the gap between "not found" and "insert": a concurrent copy waits on the key
    // instead of failing on the primary key. OUTPUT returns the row as it now is.
    public string UpsertInbox(TableName table, InboxColumns c) =>
        $"MERGE {SqlText.Qualified(this, table)} WITH (HOLDLOCK) AS t " +
        $"USING (SELECT {{0}} AS m, {{1}} AS c) AS s ON t.{Quote(c.MessageId)} = s.m AND t.{Quote(c.ConsumerId)} = s.c " +
        $"WHEN MATCHED THEN UPDATE SET t.{Quote(c.ReceiveCount)} = t.{Quote(c.ReceiveCount)} + 1, t.{Quote(c.LockId)} = {{3}} " +
        $"WHEN NOT MATCHED THEN INSERT {SqlText.InboxInsertColumns(this, c)} VALUES (s.m, s.c, {{2}}, 1, {{3}}, {{2}}) " +
        "OUTPUT inserted.*;";

    // One MERGE per message, in message id order; a table-valued parameter would need a user-defined type.
    public string? UpsertInboxBatch(TableName table, InboxColumns c) => null;

    // READPAST skips rows another instance has claimed; UPDLOCK keeps ours until commit.
    public string ClaimDueOutboxMessages(TableName table, OutboxColumns c) =>
        $"SELECT TOP ({{1}}) * FROM {SqlText.Qualified(this, table)} WITH (UPDLOCK, READPAST, ROWLOCK) " +
        $"WHERE {SqlText.DueAndNotQuarantined(this, c)} ORDER BY {Quote(c.SequenceNumber)}";
}
