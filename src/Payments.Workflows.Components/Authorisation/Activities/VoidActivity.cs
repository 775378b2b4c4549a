using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>Cancels the authorisation: what is still held and uncaptured goes back to the customer.</summary>
internal sealed class VoidActivity(LedgerWriter ledger, TimeProvider clock) : LedgerActivity<VoidPayment>(ledger, clock)
{
    protected override void Apply(PaymentState payment, VoidPayment message)
    {
        payment.RecordAccepted(RecordedCommand.Of(message), payment.UncapturedAmount, Now);
        ReleaseUncaptured(payment, LedgerOperation.Void, message.IdempotencyKey);
    }
}
