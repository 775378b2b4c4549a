using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>The acquirer approved: the requested amount becomes authorised and is held as pending entries.</summary>
internal sealed class PlaceHoldActivity(LedgerWriter ledger, TimeProvider clock, IOptions<PaymentsOptions> options)
    : LedgerActivity<AcquirerAuthorisationCompleted>(ledger, clock)
{
    protected override void Apply(PaymentState payment, AcquirerAuthorisationCompleted message)
    {
        var now = Now;
        payment.AuthorisedAmount = payment.RequestedAmount;
        payment.AcquirerReference = message.AcquirerReference;
        payment.AuthorisedAt = now;
        payment.ExpiresAt = now + options.Value.HoldDuration;
        payment.UpdatedAt = now;
        Post(payment, LedgerOperation.Authorise, payment.AuthoriseIdempotencyKey, LedgerPostings.Authorise, payment.AuthorisedAmount);
    }
}
