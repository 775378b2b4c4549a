namespace Payments.Workflows.Components.Ledger;

/// <summary>
/// Balances on the account's normal side. Posted counts money that moved; pending adds open holds; available
/// is posted less any net outgoing hold (incoming holds are not available until captured).
/// </summary>
public sealed record AccountBalance(string Currency, decimal Posted, decimal Pending, decimal Available);
