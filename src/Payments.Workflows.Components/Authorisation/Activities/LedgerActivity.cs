using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>
/// A saga step that changes the payment and posts to the ledger. The posting joins the saga's DbContext, so it
/// commits with the saga row, the inbox mark and the outgoing messages, or not at all. Resolved per message from
/// the consumer's scope (<c>.Activity(x => x.OfType&lt;…&gt;())</c>), which is where the scoped
/// <see cref="LedgerWriter"/> comes from.
/// </summary>
internal abstract class LedgerActivity<TMessage>(LedgerWriter ledger, TimeProvider clock) : PaymentActivity<TMessage>
    where TMessage : class
{
    protected DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task Execute(BehaviorContext<PaymentState, TMessage> context, IBehavior<PaymentState, TMessage> next)
    {
        Apply(context.Saga, context.Message);
        return next.Execute(context);
    }

    protected abstract void Apply(PaymentState payment, TMessage message);

    /// <summary>Posts <paramref name="postings"/> of <paramref name="amount"/> between the payment's customer and merchant.</summary>
    protected void Post(PaymentState payment, LedgerOperation operation, string idempotencyKey,
        Func<string, string, decimal, string, IReadOnlyList<LedgerLine>> postings, decimal amount) =>
        ledger.Post(payment.CorrelationId, operation, idempotencyKey, postings(
            LedgerAccounts.Customer(payment.CustomerId), LedgerAccounts.Merchant(payment.MerchantId), amount, payment.Currency));

    /// <summary>Void, expiry and the end of a partial capture: release whatever is still held and uncaptured.</summary>
    protected void ReleaseUncaptured(PaymentState payment, LedgerOperation operation, string idempotencyKey)
    {
        if (payment.UncapturedAmount > 0)
            Post(payment, operation, idempotencyKey, LedgerPostings.Release, payment.UncapturedAmount);
    }
}
