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

    public static string For(DbContext dbContext) =>
        Statements.GetOrAdd(dbContext.GetType(), static (_, context) =>
        {
            var dialect = SqlDialects.For(context);
            var table = SqlDialects.TableOf<TSaga>(context);
            var key = SqlDialects.ColumnOf<TSaga>(context, nameof(ISaga.CorrelationId));
            return dialect.SelectForUpdate(table, [key]);
        }, dbContext);
}
