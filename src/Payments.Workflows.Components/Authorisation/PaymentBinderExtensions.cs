using Payments.Workflows.Components.Authorisation.Activities;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>The steps <see cref="PaymentStateMachine"/> reads as verbs: rule checks, rejections and replays.</summary>
internal static class PaymentBinderExtensions
{
    /// <summary>An invalid authorisation is answered, and the payment is not created.</summary>
    public static EventActivityBinder<PaymentState, AuthorisePayment> RejectWhenInvalid(this EventActivityBinder<PaymentState, AuthorisePayment> binder) =>
        binder.Add(new RuleCheckActivity<AuthorisePayment>((_, command) => PaymentRules.CheckAuthorise(command), async (context, rejection) =>
        {
            await context.PublishEvent(PaymentEvents.Rejected(context.Message.PaymentId, RecordedCommand.Of(context.Message), rejection)).ConfigureAwait(false);
            await context.SetCompleted().ConfigureAwait(false);
        }));

    /// <summary>
    /// The acquirer has answered (or will no longer be waited for): the card token is erased from the payment's row,
    /// so it is kept no longer than the one call that needs it.
    /// </summary>
    public static EventActivityBinder<PaymentState, T> ForgetCardToken<T>(this EventActivityBinder<PaymentState, T> binder)
        where T : class =>
        binder.Then(context => context.Saga.CardToken = string.Empty);

    /// <summary>A broken rule is answered and logged against the command's key; the chain ends there.</summary>
    public static EventActivityBinder<PaymentState, CapturePayment> RejectWhen(this EventActivityBinder<PaymentState, CapturePayment> binder,
        Func<PaymentState, CapturePayment, Rejection?> rule, TimeProvider clock) =>
        binder.Add(new RuleCheckActivity<CapturePayment>(rule, (context, rejection) => Reject(context, RecordedCommand.Of(context.Message), rejection, clock)));

    /// <inheritdoc cref="RejectWhen(EventActivityBinder{PaymentState, CapturePayment}, Func{PaymentState, CapturePayment, Rejection?}, TimeProvider)"/>
    public static EventActivityBinder<PaymentState, RefundPayment> RejectWhen(this EventActivityBinder<PaymentState, RefundPayment> binder,
        Func<PaymentState, RefundPayment, Rejection?> rule, TimeProvider clock) =>
        binder.Add(new RuleCheckActivity<RefundPayment>(rule, (context, rejection) => Reject(context, RecordedCommand.Of(context.Message), rejection, clock)));

    /// <summary>A command the current state does not accept: answered and logged, so a repeat of its key gets the same answer.</summary>
    public static EventActivityBinder<PaymentState, T> RejectInThisState<T>(this EventActivityBinder<PaymentState, T> binder,
        Func<T, RecordedCommand> describe, TimeProvider clock)
        where T : class =>
        binder.ThenAsync(context =>
        {
            var command = describe(context.Message);
            return Reject(context, command, PaymentRules.WrongState(command.Name, context.Saga.CurrentState), clock);
        });

    /// <summary>
    /// A command that arrives while the acquirer has not answered yet is answered but not logged: like Stripe, a
    /// request that conflicts with one still executing is not saved, so the caller may retry with the same key.
    /// </summary>
    public static EventActivityBinder<PaymentState, T> RejectAsTooEarly<T>(this EventActivityBinder<PaymentState, T> binder, Func<T, RecordedCommand> describe)
        where T : class =>
        binder.PublishEvent(context =>
        {
            var command = describe(context.Message);
            return PaymentEvents.Rejected(context.Saga.CorrelationId, command, PaymentRules.WrongState(command.Name, context.Saga.CurrentState));
        });

    /// <summary>
    /// A command whose idempotency key <see cref="CommandValidation"/> refuses (the raw consumers and the API refuse it
    /// before; this is for publishers of the contracts): answered with invalid-command and not logged, so nothing the
    /// database would refuse is written. The key is repeated cut and escaped.
    /// </summary>
    public static EventActivityBinder<PaymentState, T> RejectAsInvalidKey<T>(this EventActivityBinder<PaymentState, T> binder,
        Func<T, RecordedCommand> describe)
        where T : class =>
        binder.PublishEvent(context =>
        {
            var command = describe(context.Message);
            var problem = CommandValidation.ProblemWithKey(command.IdempotencyKey);
            return PaymentEvents.Rejected(context.Saga.CorrelationId, command with { IdempotencyKey = CommandValidation.Echo(command.IdempotencyKey) },
                new Rejection(RejectionReasons.InvalidCommand, $"{CommandValidation.Fields.IdempotencyKey}: {problem}"));
        });

    /// <summary>
    /// A new command for a payment whose operation log is full: answered with operation-limit and not logged, so the
    /// payment's row stops growing.
    /// </summary>
    public static EventActivityBinder<PaymentState, T> RejectAsOverLimit<T>(this EventActivityBinder<PaymentState, T> binder,
        Func<T, RecordedCommand> describe)
        where T : class =>
        binder.PublishEvent(context => PaymentEvents.Rejected(context.Saga.CorrelationId, describe(context.Message),
            PaymentRules.OperationLimit(context.Saga)));

    /// <summary>
    /// A known key: the first outcome is published again and nothing changes. A key first used for another command
    /// or amount is refused; a key whose command was refused is refused again for the same reason.
    /// </summary>
    public static EventActivityBinder<PaymentState, T> ReplayOutcome<T, TEvent>(this EventActivityBinder<PaymentState, T> binder,
        Func<T, RecordedCommand> describe, Func<PaymentState, PaymentOperation, TEvent> outcome)
        where T : class
        where TEvent : class =>
        binder.ThenAsync(context =>
        {
            var payment = context.Saga;
            var command = describe(context.Message);
            var first = payment.FindOperation(command.IdempotencyKey)!;
            if (first.Command != command.Name || first.Amount != command.Amount)
                return context.PublishEvent(PaymentEvents.Rejected(payment.CorrelationId, command, PaymentRules.KeyReused(payment, first)));
            return first.Accepted
                ? context.PublishEvent(outcome(payment, first))
                : context.PublishEvent(PaymentEvents.Rejected(payment.CorrelationId, command, new Rejection(first.ReasonCode!, first.Reason!)));
        });

    /// <summary>Applies a refund and moves to <paramref name="refunded"/> once nothing captured is left to refund.</summary>
    public static EventActivityBinder<PaymentState, RefundPayment> Refund(this EventActivityBinder<PaymentState, RefundPayment> binder,
        State refunded, State partiallyRefunded) =>
        binder.Activity(x => x.OfType<RefundActivity>())
            .PublishEvent(c => PaymentEvents.Refunded(c.Saga, c.Message.IdempotencyKey, c.Message.Amount, c.Saga.RefundedAmount))
            .IfElse(c => c.Saga.RefundableAmount == 0,
                all => all.TransitionTo(refunded),
                part => part.TransitionTo(partiallyRefunded));

    /// <summary>Publishes an event of the saga under its derived MessageId (<see cref="PaymentEventIds"/>).</summary>
    public static EventActivityBinder<PaymentState, T> PublishEvent<T, TEvent>(this EventActivityBinder<PaymentState, T> binder,
        Func<BehaviorContext<PaymentState, T>, TEvent> factory)
        where T : class
        where TEvent : class =>
        binder.Publish(context => factory(context), publish => publish.MessageId = PaymentEventIds.For(publish.Message));

    /// <inheritdoc cref="PublishEvent{T, TEvent}(EventActivityBinder{PaymentState, T}, Func{BehaviorContext{PaymentState, T}, TEvent})"/>
    public static Task PublishEvent<TEvent>(this ConsumeContext context, TEvent message)
        where TEvent : class =>
        context.Publish(message, publish => publish.MessageId = PaymentEventIds.For(message));

    private static Task Reject<T>(BehaviorContext<PaymentState, T> context, RecordedCommand command, Rejection rejection, TimeProvider clock)
        where T : class
    {
        context.Saga.RecordRejected(command, rejection, clock.GetUtcNow().UtcDateTime);
        return context.PublishEvent(PaymentEvents.Rejected(context.Saga.CorrelationId, command, rejection));
    }
}
