using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Workflows.Testing;

/// <summary>
/// Counts, through EF Core, committed database transactions and commands (round trips). Explicit commits count, and so
/// does a write outside any transaction: EF sends a single-statement SaveChanges or an ExecuteDelete as an autocommit
/// statement, which is a transaction too. Also counts the statements that write the inbox table, however EF batched them.
/// </summary>
public sealed partial class DbActivityCounter : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private readonly ConcurrentDictionary<string, long> _statements = new();
    private long _commits;
    private long _commands;
    private long _inboxWrites;

    /// <summary>Committed transactions so far, autocommitted writes included.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>INSERT, UPDATE or MERGE statements on the inbox table (the upsert, a consumed or a delivered mark).</summary>
    public long InboxWrites => Interlocked.Read(ref _inboxWrites);

    public DbActivity Snapshot() => new(Commits, Interlocked.Read(ref _commands));

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
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(command, result));

    public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
        Counted(command, result);

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(command, result));

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Counted(command, result);

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Counted(command, result));

    /// <summary>Counts <paramref name="command"/> and hands EF its <paramref name="result"/> unchanged.</summary>
    private T Counted<T>(DbCommand command, T result)
    {
        Count(command);
        return result;
    }

    private void Count(DbCommand command)
    {
        Interlocked.Increment(ref _commands);
        var statements = command.CommandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _statements.AddOrUpdate(Kind(statements), 1, static (_, n) => n + 1);

        var inboxWrites = statements.Count(statement =>
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

    /// <summary>The statements of a command (EF batches several into one) as "VERB Table", joined by " + ".</summary>
    private static string Kind(string[] statements)
    {
        var kinds = new List<string>();
        foreach (var statement in statements)
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
