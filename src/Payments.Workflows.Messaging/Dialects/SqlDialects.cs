using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Payments.Workflows.Messaging.Dialects;

public static class SqlDialects
{
    private static readonly ConcurrentDictionary<(Type Context, Type Entity), TableName> Tables = new();

    /// <summary>The dialect of the provider <paramref name="context"/> is configured with.</summary>
    public static ISqlDialect For(DbContext context) => For(context.Database.ProviderName);

    public static ISqlDialect For(string? providerName) => providerName switch
    {
        "Microsoft.EntityFrameworkCore.Sqlite" => SqliteDialect.Instance,
        "Npgsql.EntityFrameworkCore.PostgreSQL" => PostgreSqlDialect.Instance,
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServerDialect.Instance,
        _ => throw new NotSupportedException(
            $"Database provider '{providerName}' has no SQL dialect; supported: Sqlite, PostgreSQL (Npgsql), SqlServer."),
    };

    /// <summary>
    /// The mapped table of <typeparamref name="TEntity"/>, cached per (DbContext type, entity type): two
    /// contexts may map one entity to different tables.
    /// </summary>
    public static TableName TableOf<TEntity>(DbContext context) =>
        Tables.GetOrAdd((context.GetType(), typeof(TEntity)), static (key, model) =>
        {
            var entityType = model.FindEntityType(key.Entity)
                ?? throw new InvalidOperationException($"{key.Entity.Name} is not mapped by {key.Context.Name}.");
            return new TableName(
                entityType.GetTableName() ?? throw new InvalidOperationException($"{key.Entity.Name} is not mapped to a table."),
                entityType.GetSchema());
        }, context.Model);

    /// <summary>The column <paramref name="property"/> of <typeparamref name="TEntity"/> maps to.</summary>
    public static string ColumnOf<TEntity>(DbContext context, string property)
    {
        var entityType = context.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not mapped.");
        var table = TableOf<TEntity>(context);
        var storeObject = StoreObjectIdentifier.Table(table.Name, table.Schema);
        return entityType.FindProperty(property)?.GetColumnName(storeObject)
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name}.{property} is not mapped to a column.");
    }
}
