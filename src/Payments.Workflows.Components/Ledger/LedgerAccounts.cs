namespace Payments.Workflows.Components.Ledger;

/// <summary>
/// Account naming. A customer account is debit-normal (what the customer's card owes us); a merchant account
/// is credit-normal (what we owe the merchant).
/// </summary>
internal static class LedgerAccounts
{
    public static string Customer(string customerId) => $"customer:{customerId}";

    public static string Merchant(string merchantId) => $"merchant:{merchantId}";

    public static bool IsDebitNormal(string accountId) => accountId.StartsWith("customer:", StringComparison.Ordinal);
}
