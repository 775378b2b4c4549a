using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>
/// A refund after a partial capture ends the capture phase, as a final partial capture does at the card schemes:
/// what was never captured is released under the refund's key.
/// </summary>
internal sealed class EndCaptureActivity(LedgerWriter ledger, TimeProvider clock) : LedgerActivity<RefundPayment>(ledger, clock)
{
    protected override void Apply(PaymentState payment, RefundPayment message) =>
        ReleaseUncaptured(payment, LedgerOperation.Release, message.IdempotencyKey);
}
