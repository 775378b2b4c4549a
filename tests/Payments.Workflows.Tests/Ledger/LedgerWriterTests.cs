namespace Payments.Workflows.Tests.Ledger;

public sealed class LedgerWriterTests
{
    [Fact]
    public void A_posting_whose_debits_and_credits_differ_is_refused()
    {
        var lines = new[]
        {
            LedgerLine.DebitOf("customer:c", 10.00m, "EUR", LedgerEntryStatus.Posted),
            LedgerLine.CreditOf("merchant:m", 9.99m, "EUR", LedgerEntryStatus.Posted),
        };

        var error = Assert.Throws<UnbalancedPostingException>(() => LedgerWriter.EnsureBalanced(lines));
        Assert.Contains("do not balance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_posting_balanced_overall_but_not_per_currency_is_refused()
    {
        var lines = new[]
        {
            LedgerLine.DebitOf("customer:c", 10m, "EUR", LedgerEntryStatus.Posted),
            LedgerLine.CreditOf("merchant:m", 10m, "USD", LedgerEntryStatus.Posted),
        };

        Assert.Throws<UnbalancedPostingException>(() => LedgerWriter.EnsureBalanced(lines));
    }

    [Fact]
    public void Every_standard_posting_balances()
    {
        foreach (var lines in new[]
                 {
                     LedgerPostings.Authorise("customer:c", "merchant:m", 12.34m, "EUR"),
                     LedgerPostings.Capture("customer:c", "merchant:m", 12.34m, "EUR"),
                     LedgerPostings.Release("customer:c", "merchant:m", 12.34m, "EUR"),
                     LedgerPostings.Refund("customer:c", "merchant:m", 12.34m, "EUR"),
                 })
        {
            LedgerWriter.EnsureBalanced(lines);
        }
    }

    [Fact]
    public void Transaction_ids_are_deterministic_per_payment_operation_and_key()
    {
        var payment = Guid.NewGuid();

        var first = LedgerTransactionIds.For(payment, LedgerOperation.Capture, "k");
        Assert.Equal(first, LedgerTransactionIds.For(payment, LedgerOperation.Capture, "k"));
        Assert.NotEqual(first, LedgerTransactionIds.For(payment, LedgerOperation.Capture, "k2"));
        Assert.NotEqual(first, LedgerTransactionIds.For(payment, LedgerOperation.Refund, "k"));
        Assert.NotEqual(first, LedgerTransactionIds.For(Guid.NewGuid(), LedgerOperation.Capture, "k"));
    }
}
