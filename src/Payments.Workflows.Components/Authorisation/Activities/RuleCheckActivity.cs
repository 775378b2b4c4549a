namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>
/// Evaluates a rule once. When it holds, the message goes on down the chain; when it is broken, the rejection is
/// answered by <paramref name="reject"/> and the chain ends here, so nothing after this step runs.
/// </summary>
internal sealed class RuleCheckActivity<TMessage>(
    Func<PaymentState, TMessage, Rejection?> rule,
    Func<BehaviorContext<PaymentState, TMessage>, Rejection, Task> reject) : PaymentActivity<TMessage>
    where TMessage : class
{
    public override Task Execute(BehaviorContext<PaymentState, TMessage> context, IBehavior<PaymentState, TMessage> next) =>
        rule(context.Saga, context.Message) is { } rejection
            ? reject(context, rejection)
            : next.Execute(context);
}
