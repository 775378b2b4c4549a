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
}
