using System.Diagnostics;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.IntegrationTests.Ledger;

/// <summary>
/// Security review §3, acceptance test 25: an account with a million entries gets its balance from the database, exactly
/// and fast, without the entries being loaded.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class LedgerBalanceOnPostgresTests(PostgresServer postgres)
{
    private const int Entries = 1_000_000;
    private const string Account = "merchant:big";

    [Fact]
    public async Task A_balance_over_a_million_entries_is_exact_and_answers_in_under_200_ms()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateDatabaseAsync("ledger_balance", ct);
        try
        {
            await using var db = Context(connectionString);
            await db.Database.MigrateAsync(ct);
            await Seed(db, ct);

            var balance = Assert.Single(await new LedgerQueries(db).Balances(Account, ct));

            var expected = Expected();
            Assert.Equal(("EUR", expected.Posted, expected.Pending, expected.Available), (balance.Currency, balance.Posted, balance.Pending, balance.Available));

            var median = await MedianTime(db, ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"Balance of {Entries:N0} entries on PostgreSQL: median {median.TotalMilliseconds:0.0} ms");
            Assert.True(median < TimeSpan.FromMilliseconds(200), $"The balance of {Entries:N0} entries took {median.TotalMilliseconds:0.0} ms (median).");
        }
        finally
        {
            await postgres.DropDatabaseAsync(connectionString, ct);
        }
    }

    private static PostgreSqlPaymentsDbContext Context(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlPaymentsDbContext>();
        PaymentsDatabase.ConfigurePostgreSql(options, connectionString);
        return new PostgreSqlPaymentsDbContext(options.Options);
    }

    /// <summary>
    /// One set-based INSERT … SELECT generate_series for the big account, and a small account beside it. The sum reads
    /// the (AccountId, Currency, Status) index with the amounts included: VACUUM sets the visibility map, as autovacuum
    /// does after a load, so it is an index-only scan.
    /// </summary>
    private static async Task Seed(PaymentsDbContext db, CancellationToken ct)
    {
        var transactionId = Guid.NewGuid();
        db.LedgerTransactions.Add(new LedgerTransaction
        {
            TransactionId = transactionId, PaymentId = Guid.NewGuid(), Operation = LedgerOperation.Capture, IdempotencyKey = "seed", PostedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(ct);

        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO payments."LedgerEntries" ("TransactionId", "AccountId", "Currency", "Debit", "Credit", "Status")
            SELECT {0}, {1}, 'EUR',
                   CASE WHEN g % 3 = 0 THEN 0.07 ELSE 0 END,
                   (g % 100) * 0.01 + 0.0001,
                   CASE WHEN g % 10 = 0 THEN 'Pending' ELSE 'Posted' END
            FROM generate_series(1, {2}) AS g
            """, [transactionId, Account, Entries], ct);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO payments."LedgerEntries" ("TransactionId", "AccountId", "Currency", "Debit", "Credit", "Status")
            SELECT {0}, 'merchant:small', 'EUR', 0, 1000, 'Posted' FROM generate_series(1, 1000)
            """, [transactionId], ct);
        // As autovacuum would soon after a bulk load: statistics and the visibility map for the planner.
        await db.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE payments."LedgerEntries" """, ct);
    }

    /// <summary>The same figures added up here, as decimals: a merchant account is credit-normal.</summary>
    private static (decimal Posted, decimal Pending, decimal Available) Expected()
    {
        var (posted, pendingNet) = (0m, 0m);
        for (var g = 1; g <= Entries; g++)
        {
            var net = (g % 100) * 0.01m + 0.0001m - (g % 3 == 0 ? 0.07m : 0m);
            if (g % 10 == 0)
                pendingNet += net;
            else
                posted += net;
        }

        return (posted, posted + pendingNet, posted + Math.Min(0m, pendingNet));
    }

    /// <summary>The median of nine timed calls after two to warm up (connection, plan).</summary>
    private static async Task<TimeSpan> MedianTime(PaymentsDbContext db, CancellationToken ct)
    {
        var ledger = new LedgerQueries(db);
        for (var i = 0; i < 2; i++)
            await ledger.Balances(Account, ct);

        var times = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var clock = Stopwatch.StartNew();
            await ledger.Balances(Account, ct);
            times.Add(clock.Elapsed);
        }

        return times.Order().ElementAt(times.Count / 2);
    }
}
