using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// Counts committed database transactions and commands (round trips) through EF Core. A write outside any
/// explicit transaction is an autocommit transaction of its own, as in the tests' TransactionCounter.
/// </summary>
public sealed class DbActivityCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private long _commits;
    private long _commands;

    public DbActivity Snapshot() => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _commands));

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _commits);

    public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
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

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Count(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    private void Count(DbCommand command)
    {
        Interlocked.Increment(ref _commands);
        if (command.Transaction is not null)
            return;

        var text = command.CommandText.AsSpan().TrimStart();
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("MERGE", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _commits);
        }
    }
}

public sealed record DbActivity(long Transactions, long Commands)
{
    public static DbActivity operator -(DbActivity after, DbActivity before) =>
        new(after.Transactions - before.Transactions, after.Commands - before.Commands);
}
