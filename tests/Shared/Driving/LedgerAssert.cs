namespace Payments.Workflows.Testing.Driving;

public static class LedgerAssert
{
    /// <summary>Every transaction balances per currency and status, and all entries together sum to zero.</summary>
    public static void Balances(IEnumerable<LedgerTransaction> transactions)
    {
        foreach (var transaction in transactions)
        {
            Assert.True(transaction.Entries.Count >= 2, $"Transaction {transaction.TransactionId} has {transaction.Entries.Count} entries.");
            foreach (var group in transaction.Entries.GroupBy(e => (e.Currency, e.Status)))
                Assert.True(group.Sum(e => e.Debit) == group.Sum(e => e.Credit), $"Transaction {transaction.TransactionId} does not balance for {group.Key}.");
        }
    }

    /// <summary><see cref="Balances"/> for <paramref name="transactions"/> and <see cref="SumsToZero"/> for <paramref name="allEntries"/>.</summary>
    public static void Holds(IEnumerable<LedgerTransaction> transactions, IEnumerable<LedgerEntry> allEntries)
    {
        Balances(transactions);
        SumsToZero(allEntries);
    }

    /// <summary>All entries together sum to zero per currency.</summary>
    public static void SumsToZero(IEnumerable<LedgerEntry> entries)
    {
        foreach (var group in entries.GroupBy(e => e.Currency))
            Assert.Equal(0m, group.Sum(e => e.Debit - e.Credit));
    }
}
