namespace Payments.Workflows.Messaging.Dialects;

internal static class SqlText
{
    public static string Qualified(ISqlDialect dialect, TableName table) =>
        table.Schema is null ? dialect.Quote(table.Name) : $"{dialect.Quote(table.Schema)}.{dialect.Quote(table.Name)}";

    /// <summary>"a" = {0} AND "b" = {1}: positional placeholders that EF's FromSqlRaw turns into parameters.</summary>
    public static string KeyPredicate(ISqlDialect dialect, IReadOnlyList<string> keyColumns) =>
        string.Join(" AND ", keyColumns.Select((column, i) => $"{dialect.Quote(column)} = {{{i}}}"));
}
