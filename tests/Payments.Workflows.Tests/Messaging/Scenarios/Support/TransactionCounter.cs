using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Workflows.Tests.Messaging.Support;

/// <summary>
/// Counts committed database transactions: explicit commits, plus writes that ran outside any transaction
/// (EF sends a single-statement SaveChanges or an ExecuteDelete as an autocommit statement, which is a transaction too).
/// </summary>
public sealed class TransactionCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _commits);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return Task.CompletedTask;
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        CountAutocommit(command);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        CountAutocommit(command);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        CountAutocommit(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        CountAutocommit(command);
        return ValueTask.FromResult(result);
    }

    private void CountAutocommit(DbCommand command)
    {
        if (command.Transaction is not null)
            return;

        var text = command.CommandText.TrimStart();
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("MERGE", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _commits);
        }
    }
}
