using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Components.Ledger;

public sealed class LedgerQueries(PaymentsDbContext dbContext)
{
    /// <summary>
    /// The account's balances per currency, derived from its entries; empty when it has none. On PostgreSQL from the
    /// running totals its trigger keeps (a few rows per account); on SQL Server summed by the database (GROUP BY
    /// currency and status over the (AccountId, Currency, Status) index, which includes the amounts), so memory stays
    /// constant whatever the number of entries. SQLite is the exception: it stores decimals as text and its SUM adds them as doubles, which
    /// is not exact for money, so there the entries are streamed and added as decimals one at a time.
    /// </summary>
    public async Task<IReadOnlyList<AccountBalance>> Balances(string accountId, CancellationToken cancellationToken)
    {
        var entries = dbContext.LedgerEntries.AsNoTracking().Where(e => e.AccountId == accountId);
        var totals = dbContext.Database.IsSqlite()
            ? await StreamedTotals(entries, cancellationToken).ConfigureAwait(false)
            : dbContext.Database.IsNpgsql()
            ? await RunningTotals(accountId, cancellationToken).ConfigureAwait(false)
            : await entries
                .GroupBy(e => new { e.Currency, e.Status })
                .Select(g => new StatusTotal(g.Key.Currency, g.Key.Status, g.Sum(e => e.Debit), g.Sum(e => e.Credit)))
                .ToListAsync(cancellationToken).ConfigureAwait(false);

        var debitNormal = LedgerAccounts.IsDebitNormal(accountId);
        return totals
            .GroupBy(t => t.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                decimal Net(LedgerEntryStatus status) =>
                    g.Where(t => t.Status == status).Sum(t => debitNormal ? t.Debit - t.Credit : t.Credit - t.Debit);
                var posted = Net(LedgerEntryStatus.Posted);
                var pendingNet = Net(LedgerEntryStatus.Pending);
                return new AccountBalance(g.Key, posted, posted + pendingNet, posted + Math.Min(0m, pendingNet));
            })
            .ToList();
    }

    public async Task<IReadOnlyList<LedgerTransaction>> ForPayment(Guid paymentId, CancellationToken cancellationToken) =>
        await dbContext.LedgerTransactions.AsNoTracking()
            .Include(t => t.Entries.OrderBy(e => e.Id))
            .Where(t => t.PaymentId == paymentId)
            .OrderBy(t => t.PostedAt).ThenBy(t => t.TransactionId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// PostgreSQL: the running totals a trigger keeps in the posting's transaction (migration LedgerBalanceTotals), a
    /// few rows per account whatever its number of entries.
    /// </summary>
    private async Task<List<StatusTotal>> RunningTotals(string accountId, CancellationToken cancellationToken)
    {
        var rows = await dbContext.Database.SqlQuery<TotalRow>($"""
                SELECT "Currency", "Status", sum("Debit") AS "Debit", sum("Credit") AS "Credit"
                FROM payments."LedgerBalanceTotals" WHERE "AccountId" = {accountId} GROUP BY "Currency", "Status"
                """)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => new StatusTotal(r.Currency.Trim(), Enum.Parse<LedgerEntryStatus>(r.Status), r.Debit, r.Credit));
    }

    /// <summary>One row per (currency, status) at most: the entries are read as a stream and never held.</summary>
    private static async Task<List<StatusTotal>> StreamedTotals(IQueryable<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<(string Currency, LedgerEntryStatus Status), (decimal Debit, decimal Credit)>();
        await foreach (var entry in entries.Select(e => new { e.Currency, e.Status, e.Debit, e.Credit })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var key = (entry.Currency, entry.Status);
            var (debit, credit) = totals.GetValueOrDefault(key);
            totals[key] = (debit + entry.Debit, credit + entry.Credit);
        }

        return totals.Select(t => new StatusTotal(t.Key.Currency, t.Key.Status, t.Value.Debit, t.Value.Credit)).ToList();
    }

    private sealed class TotalRow
    {
        public string Currency { get; init; } = "";

        public string Status { get; init; } = "";

        public decimal Debit { get; init; }

        public decimal Credit { get; init; }
    }

    private sealed record StatusTotal(string Currency, LedgerEntryStatus Status, decimal Debit, decimal Credit);
}
