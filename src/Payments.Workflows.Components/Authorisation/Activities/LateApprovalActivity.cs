using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Diagnostics;

namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>
/// The acquirer approved a payment that was already declined (its deadline passed first). Nothing is posted and
/// the payment stays declined; the acquirer's hold is reported, logged and counted, for a reversal there.
/// </summary>
internal sealed class LateApprovalActivity(PaymentMetrics metrics, ILogger<LateApprovalActivity> logger) : PaymentActivity<AcquirerAuthorisationCompleted>
{
    public override Task Execute(BehaviorContext<PaymentState, AcquirerAuthorisationCompleted> context,
        IBehavior<PaymentState, AcquirerAuthorisationCompleted> next)
    {
        metrics.LateApproval();
        logger.LogWarning("Acquirer approved payment {PaymentId} (reference {AcquirerReference}) after it was declined ({DeclineCode}): "
            + "not applied; the acquirer's authorisation needs a reversal", context.Saga.CorrelationId, context.Message.AcquirerReference,
            context.Saga.DeclineCode);
        return next.Execute(context);
    }
}
