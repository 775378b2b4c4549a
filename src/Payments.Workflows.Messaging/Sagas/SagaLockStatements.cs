using System.Collections.Concurrent;
using Payments.Workflows.Messaging.Dialects;

namespace Payments.Workflows.Messaging.Sagas;

/// <summary>
/// The row-lock statement that loads one saga instance, built once per DbContext type from the EF model.
/// On SQLite it carries no lock clause: Microsoft.Data.Sqlite begins transactions IMMEDIATE, so the
/// transaction already holds the database's single write lock.
/// </summary>
internal static class SagaLockStatements<TSaga>
    where TSaga : class, ISaga
{
    private static readonly ConcurrentDictionary<Type, string> Statements = new();
    private static readonly ConcurrentDictionary<Type, string?> ManyStatements = new();

    /// <summary>The statement that loads and locks every instance whose key is in the array {0}; null where there is none.</summary>
    public static string? ForMany(DbContext dbContext) =>
        ManyStatements.GetOrAdd(dbContext.GetType(), static (_, context) =>
            SqlDialects.For(context).SelectManyForUpdate(SqlDialects.TableOf<TSaga>(context), SqlDialects.ColumnOf<TSaga>(context, nameof(ISaga.CorrelationId))),
            dbContext);

    public static string For(DbContext dbContext) =>
        Statements.GetOrAdd(dbContext.GetType(), static (_, context) =>
        {
            var dialect = SqlDialects.For(context);
            var table = SqlDialects.TableOf<TSaga>(context);
            var key = SqlDialects.ColumnOf<TSaga>(context, nameof(ISaga.CorrelationId));
            return dialect.SelectForUpdate(table, [key]);
        }, dbContext);
}
