using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// Counts committed database transactions and commands (round trips) through EF Core. A write outside any
/// explicit transaction is an autocommit transaction of its own, as in the tests' TransactionCounter.
/// </summary>
public sealed partial class DbActivityCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, long> _statements = new();
    private long _commits;
    private long _commands;

    public DbActivity Snapshot() => new(Interlocked.Read(ref _commits), Interlocked.Read(ref _commands));

    /// <summary>Commands by kind ("INSERT OutboxMessage", "SELECT Payments" …): where the round trips go.</summary>
    public IReadOnlyDictionary<string, long> Statements() => new Dictionary<string, long>(_statements);

    /// <summary>Per-kind counts from <paramref name="before"/> to now, divided by <paramref name="messages"/>, largest first.</summary>
    public IReadOnlyDictionary<string, double> StatementsPerMessage(IReadOnlyDictionary<string, long> before, long messages) =>
        _statements.Select(s => (s.Key, Count: s.Value - before.GetValueOrDefault(s.Key)))
            .Where(s => s.Count > 0)
            .OrderByDescending(s => s.Count)
            .ToDictionary(s => s.Key, s => Math.Round(s.Count / (double)Math.Max(1, messages), 3));

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
        _statements.AddOrUpdate(Kind(command.CommandText), 1, static (_, n) => n + 1);
        if (command.Transaction is not null)
            return;

        var text = command.CommandText.AsSpan().TrimStart();
        if (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("MERGE", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _commits);
        }
    }

    /// <summary>The statements of a command (EF batches several into one) as "VERB Table", joined by " + ".</summary>
    private static string Kind(string sql)
    {
        var kinds = new List<string>();
        foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var verb = statement.Split([' ', '\n', '\r', '\t'], 2, StringSplitOptions.RemoveEmptyEntries)[0].ToUpperInvariant();
            var kind = Table().Match(statement) is { Success: true } table ? $"{verb} {table.Groups[1].Value}" : verb;
            if (!kinds.Contains(kind))
                kinds.Add(kind);
        }

        return string.Join(" + ", kinds);
    }

    [GeneratedRegex(@"\b(?:FROM|INTO|UPDATE)\s+(?:""?\w+""?\.)?""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Table();
}

public sealed record DbActivity(long Transactions, long Commands)
{
    public static DbActivity operator -(DbActivity after, DbActivity before) =>
        new(after.Transactions - before.Transactions, after.Commands - before.Commands);
}
