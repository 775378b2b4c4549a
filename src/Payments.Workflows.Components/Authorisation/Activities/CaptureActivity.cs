using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>Moves the captured amount from the pending hold to posted entries.</summary>
internal sealed class CaptureActivity(LedgerWriter ledger, TimeProvider clock) : LedgerActivity<CapturePayment>(ledger, clock)
{
    protected override void Apply(PaymentState payment, CapturePayment message)
    {
        payment.CapturedAmount += message.Amount;
        payment.RecordAccepted(RecordedCommand.Of(message), payment.CapturedAmount, Now);
        Post(payment, LedgerOperation.Capture, message.IdempotencyKey, LedgerPostings.Capture, message.Amount);
    }
}
