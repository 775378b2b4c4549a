namespace Payments.Workflows.Messaging.Dialects;

/// <summary>
/// SQLite has no row locks: one writer holds the database at a time, so a transaction that writes first
/// (BEGIN IMMEDIATE semantics through EF's write) is already exclusive. Statements carry no lock clause.
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string ProviderName => "Microsoft.EntityFrameworkCore.Sqlite";

    public string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns) =>
        $"SELECT * FROM {Quote(table.Name)} WHERE {SqlText.KeyPredicate(this, keyColumns)}";
}
