namespace Payments.Workflows.Service.Api;

/// <summary>A ledger account's balances, one per currency.</summary>
internal sealed record AccountBalances(string AccountId, IReadOnlyList<AccountBalanceView> Balances);
