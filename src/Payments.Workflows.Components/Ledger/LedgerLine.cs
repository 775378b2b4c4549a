namespace Payments.Workflows.Components.Ledger;

/// <summary>One entry of a posting before it is written.</summary>
internal readonly record struct LedgerLine(string AccountId, string Currency, decimal Debit, decimal Credit, LedgerEntryStatus Status)
{
    public static LedgerLine DebitOf(string account, decimal amount, string currency, LedgerEntryStatus status) =>
        new(account, currency, amount, 0m, status);

    public static LedgerLine CreditOf(string account, decimal amount, string currency, LedgerEntryStatus status) =>
        new(account, currency, 0m, amount, status);
}
