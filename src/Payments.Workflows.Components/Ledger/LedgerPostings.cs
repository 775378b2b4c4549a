namespace Payments.Workflows.Components.Ledger;

/// <summary>
/// The entries each payment operation posts. Authorisation holds the amount as pending entries; capturing
/// releases that part of the hold and posts it; void and expiry release what is left; a refund posts the
/// reverse of a capture. Nothing is edited: every change is a new balanced transaction.
/// </summary>
internal static class LedgerPostings
{
    public static IReadOnlyList<LedgerLine> Authorise(string customer, string merchant, decimal amount, string currency) =>
    [
        LedgerLine.DebitOf(customer, amount, currency, LedgerEntryStatus.Pending),
        LedgerLine.CreditOf(merchant, amount, currency, LedgerEntryStatus.Pending),
    ];

    public static IReadOnlyList<LedgerLine> Capture(string customer, string merchant, decimal amount, string currency) =>
    [
        .. Release(customer, merchant, amount, currency),
        LedgerLine.DebitOf(customer, amount, currency, LedgerEntryStatus.Posted),
        LedgerLine.CreditOf(merchant, amount, currency, LedgerEntryStatus.Posted),
    ];

    public static IReadOnlyList<LedgerLine> Release(string customer, string merchant, decimal amount, string currency) =>
    [
        LedgerLine.DebitOf(merchant, amount, currency, LedgerEntryStatus.Pending),
        LedgerLine.CreditOf(customer, amount, currency, LedgerEntryStatus.Pending),
    ];

    public static IReadOnlyList<LedgerLine> Refund(string customer, string merchant, decimal amount, string currency) =>
    [
        LedgerLine.DebitOf(merchant, amount, currency, LedgerEntryStatus.Posted),
        LedgerLine.CreditOf(customer, amount, currency, LedgerEntryStatus.Posted),
    ];
}
