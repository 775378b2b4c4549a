using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>Reverses part or all of what was captured.</summary>
internal sealed class RefundActivity(LedgerWriter ledger, TimeProvider clock) : LedgerActivity<RefundPayment>(ledger, clock)
{
    protected override void Apply(PaymentState payment, RefundPayment message)
    {
        payment.RefundedAmount += message.Amount;
        payment.RecordAccepted(RecordedCommand.Of(message), payment.RefundedAmount, Now);
        Post(payment, LedgerOperation.Refund, message.IdempotencyKey, LedgerPostings.Refund, message.Amount);
    }
}
