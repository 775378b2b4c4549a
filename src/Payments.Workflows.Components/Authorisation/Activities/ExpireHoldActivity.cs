using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>The hold ran out before it was fully captured: the uncaptured rest is released.</summary>
internal sealed class ExpireHoldActivity(LedgerWriter ledger, TimeProvider clock) : LedgerActivity<PaymentHoldExpired>(ledger, clock)
{
    /// <summary>The idempotency key of the expiry's posting: a payment's hold expires once.</summary>
    public const string IdempotencyKey = "hold-expiry";

    protected override void Apply(PaymentState payment, PaymentHoldExpired message)
    {
        payment.UpdatedAt = Now;
        ReleaseUncaptured(payment, LedgerOperation.Expire, IdempotencyKey);
    }
}
