using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.IntegrationTests.Support;

public static class LedgerInvariants
{
    /// <summary>Every transaction balances per currency and status; all entries together sum to zero per currency.</summary>
    public static void Hold(IEnumerable<LedgerTransaction> transactions, IEnumerable<LedgerEntry> allEntries)
    {
        foreach (var transaction in transactions)
        {
            foreach (var group in transaction.Entries.GroupBy(e => (e.Currency, e.Status)))
                Assert.True(group.Sum(e => e.Debit) == group.Sum(e => e.Credit), $"Transaction {transaction.TransactionId} does not balance for {group.Key}.");
        }

        foreach (var group in allEntries.GroupBy(e => e.Currency))
            Assert.Equal(0m, group.Sum(e => e.Debit - e.Credit));
    }
}
