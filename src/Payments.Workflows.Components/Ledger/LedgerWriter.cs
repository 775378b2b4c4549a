using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Components.Ledger;

/// <summary>
/// Adds postings to the scoped DbContext: they commit with whatever else the message changed (saga row,
/// outbox rows, inbox mark), or not at all.
/// </summary>
internal sealed class LedgerWriter(PaymentsDbContext dbContext, TimeProvider clock)
{
    public LedgerTransaction Post(Guid paymentId, LedgerOperation operation, string idempotencyKey, IReadOnlyList<LedgerLine> lines)
    {
        EnsureBalanced(lines);
        var transactionId = LedgerTransactionIds.For(paymentId, operation, idempotencyKey);
        var transaction = new LedgerTransaction
        {
            TransactionId = transactionId,
            PaymentId = paymentId,
            Operation = operation,
            IdempotencyKey = idempotencyKey,
            PostedAt = clock.GetUtcNow().UtcDateTime,
            Entries = lines.Select(line => new LedgerEntry
            {
                TransactionId = transactionId,
                AccountId = line.AccountId,
                Currency = line.Currency,
                Debit = line.Debit,
                Credit = line.Credit,
                Status = line.Status,
            }).ToList(),
        };
        dbContext.LedgerTransactions.Add(transaction);
        return transaction;
    }

    /// <summary>Refuses a posting whose debits and credits differ for any currency and status.</summary>
    public static void EnsureBalanced(IReadOnlyList<LedgerLine> lines)
    {
        if (lines.Count < 2)
            throw new UnbalancedPostingException($"A posting needs at least two entries; got {lines.Count}.");
        foreach (var line in lines)
        {
            if (line.Debit < 0 || line.Credit < 0 || (line.Debit == 0) == (line.Credit == 0))
                throw new UnbalancedPostingException(
                    $"Entry on {line.AccountId} must carry exactly one positive side; got debit {line.Debit}, credit {line.Credit}.");
        }

        foreach (var group in lines.GroupBy(l => (l.Currency, l.Status)))
        {
            var debits = group.Sum(l => l.Debit);
            var credits = group.Sum(l => l.Credit);
            if (debits != credits)
                throw new UnbalancedPostingException(
                    $"{group.Key.Status} {group.Key.Currency} entries do not balance: debits {debits}, credits {credits}.");
        }
    }
}
