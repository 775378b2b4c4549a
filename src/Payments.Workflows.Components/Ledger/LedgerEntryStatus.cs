namespace Payments.Workflows.Components.Ledger;

/// <summary>Pending entries are holds; posted entries are money that moved.</summary>
public enum LedgerEntryStatus
{
    Pending = 1,
    Posted = 2,
}
