namespace Payments.Workflows.Messaging.Dialects;

/// <summary>
/// Every piece of SQL that differs by database provider. One implementation per provider, chosen once per
/// DbContext type by <see cref="SqlDialects.For"/>.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The EF Core provider name this dialect serves.</summary>
    string ProviderName { get; }

    /// <summary>Quotes one identifier (table, column or schema name).</summary>
    string Quote(string identifier);

    /// <summary>
    /// A statement that reads the rows of <paramref name="table"/> whose <paramref name="keyColumns"/> equal
    /// the positional parameters {0}, {1}, … and holds an update lock on them until the transaction ends.
    /// </summary>
    string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns);
}
