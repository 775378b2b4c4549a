namespace Payments.Workflows.Components.Authorisation.Activities;

/// <summary>The plumbing every payment saga step shares; a step only says what it does with the message.</summary>
internal abstract class PaymentActivity<TMessage> : IStateMachineActivity<PaymentState, TMessage>
    where TMessage : class
{
    public void Probe(ProbeContext context) => context.CreateScope(GetType().Name);

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);

    public abstract Task Execute(BehaviorContext<PaymentState, TMessage> context, IBehavior<PaymentState, TMessage> next);

    public Task Faulted<TException>(BehaviorExceptionContext<PaymentState, TMessage, TException> context, IBehavior<PaymentState, TMessage> next)
        where TException : Exception =>
        next.Faulted(context);
}
