namespace Payments.Workflows.Components.Ledger;

public enum LedgerOperation
{
    Authorise = 1,
    Capture = 2,
    Void = 3,
    Expire = 4,
    Refund = 5,

    /// <summary>The uncaptured remainder released because a refund ended the capture phase.</summary>
    Release = 6,
}
