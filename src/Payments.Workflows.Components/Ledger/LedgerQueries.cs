using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Components.Ledger;

public sealed class LedgerQueries(PaymentsDbContext dbContext)
{
    /// <summary>The account's balances per currency, derived from its entries; empty when it has none.</summary>
    public async Task<IReadOnlyList<AccountBalance>> Balances(string accountId, CancellationToken cancellationToken)
    {
        // Summed here rather than in SQL: SQLite stores decimals as text and cannot add them exactly.
        var entries = await dbContext.LedgerEntries.AsNoTracking()
            .Where(e => e.AccountId == accountId)
            .Select(e => new { e.Currency, e.Status, e.Debit, e.Credit })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var debitNormal = LedgerAccounts.IsDebitNormal(accountId);
        return entries
            .GroupBy(e => e.Currency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                decimal Net(LedgerEntryStatus status) =>
                    g.Where(e => e.Status == status).Sum(e => debitNormal ? e.Debit - e.Credit : e.Credit - e.Debit);
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
}
