using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Workflows.Tests.Messaging.Support;

/// <summary>
/// Counts committed database transactions: explicit commits, plus writes that ran outside any transaction
/// (EF sends a single-statement SaveChanges or an ExecuteDelete as an autocommit statement, which is a transaction too).
/// Also counts the statements that write the inbox table, however EF batched them into commands.
/// </summary>
public sealed class TransactionCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private int _commits;
    private int _inboxWrites;

    public int Commits => Volatile.Read(ref _commits);

    /// <summary>INSERT, UPDATE or MERGE statements on the inbox table (the upsert, a consumed or a delivered mark).</summary>
    public int InboxWrites => Volatile.Read(ref _inboxWrites);

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
        var inboxWrites = command.CommandText.Split(';').Count(statement =>
        {
            var text = statement.TrimStart();
            return text.Contains("InboxState", StringComparison.Ordinal) &&
                (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
                 text.StartsWith("MERGE", StringComparison.OrdinalIgnoreCase));
        });
        if (inboxWrites > 0)
            Interlocked.Add(ref _inboxWrites, inboxWrites);

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
