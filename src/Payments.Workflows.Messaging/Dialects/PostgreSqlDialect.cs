namespace Payments.Workflows.Messaging.Dialects;

public sealed class PostgreSqlDialect : ISqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public string ProviderName => "Npgsql.EntityFrameworkCore.PostgreSQL";

    public string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns) =>
        $"SELECT * FROM {SqlText.Qualified(this, table)} WHERE {SqlText.KeyPredicate(this, keyColumns)} FOR UPDATE";
}
