namespace Payments.Workflows.Messaging.Dialects;

internal static class SqlText
{
    public static string Qualified(ISqlDialect dialect, TableName table) =>
        table.Schema is null ? dialect.Quote(table.Name) : $"{dialect.Quote(table.Schema)}.{dialect.Quote(table.Name)}";

    /// <summary>"a" = {0} AND "b" = {1}: positional placeholders that EF's FromSqlRaw turns into parameters.</summary>
    public static string KeyPredicate(ISqlDialect dialect, IReadOnlyList<string> keyColumns) =>
        string.Join(" AND ", keyColumns.Select((column, i) => $"{dialect.Quote(column)} = {{{i}}}"));

    /// <summary>The standard SQL quoting of an identifier: in double quotes, a double quote inside doubled.</summary>
    public static string DoubleQuoted(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>The inbox columns an upsert inserts, in the order of its values: ("MessageId", "ConsumerId", …, "Consumed").</summary>
    public static string InboxInsertColumns(ISqlDialect dialect, InboxColumns c) =>
        $"({dialect.Quote(c.MessageId)}, {dialect.Quote(c.ConsumerId)}, {dialect.Quote(c.Received)}, {dialect.Quote(c.ReceiveCount)}, " +
        $"{dialect.Quote(c.LockId)}, {dialect.Quote(c.Consumed)})";

    /// <summary>Outbox rows due by the time in placeholder {0} and not quarantined.</summary>
    public static string DueAndNotQuarantined(ISqlDialect dialect, OutboxColumns c) =>
        $"{dialect.Quote(c.QuarantinedAt)} IS NULL AND {dialect.Quote(c.DueAt)} <= {{0}}";
}
