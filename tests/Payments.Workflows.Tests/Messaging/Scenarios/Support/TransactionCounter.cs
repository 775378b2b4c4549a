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
        Count(command);
        return result;
    }

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Count(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(DbCommand command)
    {
        var inboxWrites = command.CommandText.Split(';').Count(statement =>
            statement.Contains("InboxState", StringComparison.Ordinal) && StartsWithAny(statement, "INSERT", "UPDATE", "MERGE"));
        if (inboxWrites > 0)
            Interlocked.Add(ref _inboxWrites, inboxWrites);

        // A write outside any transaction is a transaction of its own.
        if (command.Transaction is null && StartsWithAny(command.CommandText, "INSERT", "UPDATE", "DELETE", "MERGE"))
            Interlocked.Increment(ref _commits);
    }

    private static bool StartsWithAny(string sql, params string[] verbs)
    {
        var text = sql.TrimStart();
        return verbs.Any(verb => text.StartsWith(verb, StringComparison.OrdinalIgnoreCase));
    }
}
