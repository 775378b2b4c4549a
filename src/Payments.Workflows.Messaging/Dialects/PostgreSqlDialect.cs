namespace Payments.Workflows.Messaging.Dialects;

public sealed class PostgreSqlDialect : ISqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public string ProviderName => "Npgsql.EntityFrameworkCore.PostgreSQL";

    public string Quote(string identifier) => SqlText.DoubleQuoted(identifier);

    public string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns) =>
        $"SELECT * FROM {SqlText.Qualified(this, table)} WHERE {SqlText.KeyPredicate(this, keyColumns)} FOR UPDATE";

    public string? SelectManyForUpdate(TableName table, string keyColumn) =>
        $"SELECT * FROM {SqlText.Qualified(this, table)} WHERE {Quote(keyColumn)} = ANY({{0}}) ORDER BY {Quote(keyColumn)} FOR UPDATE";

    // ON CONFLICT DO UPDATE takes the row lock a concurrent copy then waits on; at READ COMMITTED the waiter
    // re-reads the committed row, so it sees the winner's Consumed mark instead of failing.
    public string UpsertInbox(TableName table, InboxColumns c) =>
        $"INSERT INTO {SqlText.Qualified(this, table)} AS t {SqlText.InboxInsertColumns(this, c)} " +
        "VALUES ({0}, {1}, {2}, 1, {3}, {2}) " +
        CountAgainOnConflict(c);

    public string? UpsertInboxBatch(TableName table, InboxColumns c) =>
        $"INSERT INTO {SqlText.Qualified(this, table)} AS t {SqlText.InboxInsertColumns(this, c)} " +
        "SELECT m, {1}, {2}, 1, {3}, {2} FROM unnest({0}::uuid[]) AS m ORDER BY m " +
        CountAgainOnConflict(c);

    // A message seen before keeps its row: one more receive, and this attempt's lock id; the row comes back either way.
    private string CountAgainOnConflict(InboxColumns c) =>
        $"ON CONFLICT ({Quote(c.MessageId)}, {Quote(c.ConsumerId)}) DO UPDATE SET {Quote(c.ReceiveCount)} = t.{Quote(c.ReceiveCount)} + 1, {Quote(c.LockId)} = EXCLUDED.{Quote(c.LockId)} " +
        "RETURNING *";

    public string ClaimDueOutboxMessages(TableName table, OutboxColumns c) =>
        $"SELECT * FROM {SqlText.Qualified(this, table)} WHERE {SqlText.DueAndNotQuarantined(this, c)} " +
        $"ORDER BY {Quote(c.SequenceNumber)} LIMIT {{1}} FOR UPDATE SKIP LOCKED";
}
