namespace Payments.Workflows.Benchmarks.Ceilings;

/// <summary>
/// The database alone: the at-least-once consumer's transaction (BEGIN; the row-pair insert that skips an
/// existing pair; COMMIT), one new DbContext per posting as a message scope has, <c>workers</c> at a time, no broker.
/// </summary>
public static class DatabaseCeiling
{
    public static async Task<DatabaseCeilingResult> Run(BenchmarkServers servers, int count, int workers, CancellationToken cancellationToken)
    {
        var connectionString = await servers.CreateDatabase("ceiling", cancellationToken);
        var counter = new DbActivityCounter();
        var builder = new DbContextOptionsBuilder<BenchLedgerDbContext>();
        servers.Configure(builder, connectionString);
        builder.AddInterceptors(counter);
        var options = builder.Options;
        await using (var db = new BenchLedgerDbContext(options))
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            if (db.Database.IsSqlite())
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var before = counter.Snapshot();
        var latency = new LatencyRecorder();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var begun = Stopwatch.GetTimestamp();
                await using var db = new BenchLedgerDbContext(options);
                var key = Guid.NewGuid().ToString("N");
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    INSERT INTO "BenchLedgerEntry" ("PostingKey", "Side", "Account", "Amount", "Currency")
                    VALUES ({key}, 'D', {"customer-" + (i % 1000)}, {10.00m + i % 990}, {"EUR"}),
                           ({key}, 'C', {"merchant-" + (i % 50)}, {10.00m + i % 990}, {"EUR"})
                    ON CONFLICT DO NOTHING
                    """,
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                latency.RecordSince(begun);
            }
        }, cancellationToken)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var activity = counter.Snapshot() - before;

        await using (var db = new BenchLedgerDbContext(options))
        {
            var rows = await db.Entries.CountAsync(cancellationToken);
            if (rows != count * 2)
                throw new InvalidOperationException($"Database ceiling: expected {count * 2} rows, found {rows}.");
        }

        return new DatabaseCeilingResult(count, workers, Math.Round(count / seconds, 1), latency.Summary(),
            Math.Round(activity.Transactions / (double)count, 2), Math.Round(activity.Commands / (double)count, 2));
    }
}

public sealed record DatabaseCeilingResult(
    long Transactions,
    int Workers,
    double TransactionsPerSecond,
    LatencySummary Latency,
    double DbTransactionsPerPosting,
    double DbCommandsPerPosting);
