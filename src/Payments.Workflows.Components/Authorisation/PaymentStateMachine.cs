using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation.Activities;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// One payment from authorisation to its last refund. A command whose idempotency key the payment has seen is
/// answered with its first outcome and changes nothing (<c>DuringAny</c>). A new command is handled in the
/// <c>During</c> block of the states that accept it, checked once by <see cref="PaymentRules"/>; a broken rule, or
/// a state that does not accept the command, is answered with <see cref="PaymentCommandRejected"/> and leaves
/// state and ledger as they were.
/// </summary>
public sealed class PaymentStateMachine : MassTransitStateMachine<PaymentState>
{
    public PaymentStateMachine(IOptions<PaymentsOptions> options, TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => AuthoriseRequested, x => x.CorrelateById(m => m.Message.PaymentId));
        Event(() => CaptureRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, RecordedCommand.Of(c.Message), c.Message.PaymentId)));
        });
        Event(() => VoidRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, RecordedCommand.Of(c.Message), c.Message.PaymentId)));
        });
        Event(() => RefundRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, RecordedCommand.Of(c.Message), c.Message.PaymentId)));
        });
        Event(() => AcquirerCompleted, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.Discard());
        });
        Schedule(() => HoldExpiry, x => x.HoldExpiryTokenId, s =>
        {
            s.Delay = options.Value.HoldDuration;
            s.Received = r => r.CorrelateById(m => m.Message.PaymentId);
        });
        Schedule(() => AuthorisationDeadline, x => x.AuthorisationDeadlineTokenId, s =>
        {
            s.Delay = options.Value.Acquirer.AuthorisationDeadline;
            s.Received = r => r.CorrelateById(m => m.Message.PaymentId);
        });

        Initially(
            When(AuthoriseRequested)
                .RejectWhenInvalid()
                .Then(c => StartAuthorisation(c.Saga, c.Message, clock))
                .Send(AcquirerEndpoint.Address, c => RequestAuthorisation(c.Saga))
                .Schedule(AuthorisationDeadline, c => new PaymentAuthorisationDeadlinePassed { PaymentId = c.Saga.CorrelationId })
                .TransitionTo(Authorising));

        // Known idempotency keys, in every state: the first outcome again. Declared before the blocks for new
        // commands because a state runs its guarded steps for one event in declaration order, and a new command's
        // steps log its key: checked after them, the same message would look like its own repeat.
        DuringAny(
            // A key the database would refuse (U+0000, 300 characters, empty) is answered and never logged.
            When(CaptureRequested, c => !HasValidKey(c.Message.IdempotencyKey)).RejectAsInvalidKey(RecordedCommand.Of),
            When(VoidRequested, c => !HasValidKey(c.Message.IdempotencyKey)).RejectAsInvalidKey(RecordedCommand.Of),
            When(RefundRequested, c => !HasValidKey(c.Message.IdempotencyKey)).RejectAsInvalidKey(RecordedCommand.Of),
            // A full operation log takes no new key (IsNew is false for them, so no state's block runs as well).
            When(CaptureRequested, IsOverLimit).RejectAsOverLimit(RecordedCommand.Of),
            When(VoidRequested, IsOverLimit).RejectAsOverLimit(RecordedCommand.Of),
            When(RefundRequested, IsOverLimit).RejectAsOverLimit(RecordedCommand.Of),
            When(AuthoriseRequested, c => c.Message.IdempotencyKey != c.Saga.AuthoriseIdempotencyKey)
                .PublishEvent(c => PaymentEvents.Rejected(c.Saga.CorrelationId, RecordedCommand.Of(c.Message), PaymentRules.PaymentExists(c.Saga))),
            When(AuthoriseRequested, c => c.Message.IdempotencyKey == c.Saga.AuthoriseIdempotencyKey && !IsSameAuthorisation(c))
                .PublishEvent(c => PaymentEvents.Rejected(c.Saga.CorrelationId, RecordedCommand.Of(c.Message), PaymentRules.AuthorisationKeyReused(c.Message))),
            When(CaptureRequested, IsRepeat)
                .ReplayOutcome(RecordedCommand.Of, (payment, first) =>
                    PaymentEvents.Captured(payment, first.IdempotencyKey, first.Amount!.Value, first.ResultAmount!.Value)),
            When(VoidRequested, IsRepeat)
                .ReplayOutcome(RecordedCommand.Of, (payment, first) => PaymentEvents.Voided(payment, first.IdempotencyKey, first.ResultAmount!.Value)),
            When(RefundRequested, IsRepeat)
                .ReplayOutcome(RecordedCommand.Of, (payment, first) =>
                    PaymentEvents.Refunded(payment, first.IdempotencyKey, first.Amount!.Value, first.ResultAmount!.Value)));

        During(Authorising,
            When(AcquirerCompleted, c => c.Message.Approved)
                .Unschedule(AuthorisationDeadline)
                .ForgetCardToken()
                .Activity(x => x.OfType<PlaceHoldActivity>())
                .Schedule(HoldExpiry, c => new PaymentHoldExpired { PaymentId = c.Saga.CorrelationId })
                .PublishEvent(c => PaymentEvents.Authorised(c.Saga))
                .TransitionTo(Authorised),
            When(AcquirerCompleted, c => !c.Message.Approved)
                .Unschedule(AuthorisationDeadline)
                .ForgetCardToken()
                .Then(c => RecordDecline(c.Saga, c.Message.DeclineCode ?? PaymentEvents.DefaultDeclineCode,
                    c.Message.DeclineReason ?? PaymentEvents.DefaultDeclineReason, clock))
                .PublishEvent(c => PaymentEvents.Declined(c.Saga))
                .TransitionTo(Declined),
            When(AuthorisationDeadline.Received)
                .ForgetCardToken()
                .Then(c => RecordDecline(c.Saga, DeclineCodes.AcquirerUnavailable,
                    $"The acquirer did not answer within {options.Value.Acquirer.AuthorisationDeadline}.", clock))
                .PublishEvent(c => PaymentEvents.Declined(c.Saga))
                .TransitionTo(Declined),
            Ignore(AuthoriseRequested, IsSameAuthorisation),
            When(CaptureRequested, IsNew).RejectAsTooEarly(RecordedCommand.Of),
            When(VoidRequested, IsNew).RejectAsTooEarly(RecordedCommand.Of),
            When(RefundRequested, IsNew).RejectAsTooEarly(RecordedCommand.Of));

        During(Authorised, PartiallyCaptured,
            When(CaptureRequested, IsNew)
                .RejectWhen(PaymentRules.CheckCapture, clock)
                .Activity(x => x.OfType<CaptureActivity>())
                .PublishEvent(c => PaymentEvents.Captured(c.Saga, c.Message.IdempotencyKey, c.Message.Amount, c.Saga.CapturedAmount))
                .IfElse(c => c.Saga.UncapturedAmount == 0,
                    all => all.Unschedule(HoldExpiry).TransitionTo(Captured),
                    part => part.TransitionTo(PartiallyCaptured)),
            When(VoidRequested, IsNew)
                .Activity(x => x.OfType<VoidActivity>())
                .PublishEvent(c => PaymentEvents.Voided(c.Saga, c.Message.IdempotencyKey, c.Saga.UncapturedAmount))
                .Unschedule(HoldExpiry)
                .TransitionTo(Voided),
            When(HoldExpiry.Received)
                .Activity(x => x.OfType<ExpireHoldActivity>())
                .PublishEvent(c => PaymentEvents.Expired(c.Saga))
                .TransitionTo(Expired),
            Ignore(AcquirerCompleted));

        During(Authorised,
            When(RefundRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock));

        // The first refund after a partial capture also ends the capture phase.
        During(PartiallyCaptured,
            When(RefundRequested, IsNew)
                .RejectWhen(PaymentRules.CheckRefund, clock)
                .Activity(x => x.OfType<EndCaptureActivity>())
                .Unschedule(HoldExpiry)
                .Refund(Refunded, PartiallyRefunded));

        During(Captured, PartiallyRefunded, Voided, Expired,
            When(RefundRequested, IsNew)
                .RejectWhen(PaymentRules.CheckRefund, clock)
                .Refund(Refunded, PartiallyRefunded),
            When(CaptureRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock),
            When(VoidRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock));

        During(Declined, Refunded,
            When(CaptureRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock),
            When(VoidRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock),
            When(RefundRequested, IsNew).RejectInThisState(RecordedCommand.Of, clock));

        // An approval after the deadline declined the payment is not applied: the acquirer holds funds we do not.
        During(Declined,
            When(AcquirerCompleted, c => c.Message.Approved).Activity(x => x.OfType<LateApprovalActivity>()),
            Ignore(AcquirerCompleted, c => !c.Message.Approved));

        During([Captured, PartiallyRefunded, Refunded, Voided, Expired],
            Ignore(AcquirerCompleted));

        During([Declined, Captured, PartiallyRefunded, Refunded, Voided, Expired],
            Ignore(HoldExpiry.Received));

        During([Authorised, PartiallyCaptured, Declined, Captured, PartiallyRefunded, Refunded, Voided, Expired],
            Ignore(AuthorisationDeadline.Received));

        // Repeats of the authorisation itself; while Authorising, the outcome is published when the acquirer answers.
        During(Declined,
            When(AuthoriseRequested, IsSameAuthorisation).PublishEvent(c => PaymentEvents.Declined(c.Saga)));
        During([Authorised, PartiallyCaptured, Captured, PartiallyRefunded, Refunded, Voided, Expired],
            When(AuthoriseRequested, IsSameAuthorisation).PublishEvent(c => PaymentEvents.Authorised(c.Saga)));

        SetCompletedWhenFinalized();
    }

    public State Authorising { get; private set; } = null!;

    public State Authorised { get; private set; } = null!;

    public State Declined { get; private set; } = null!;

    public State PartiallyCaptured { get; private set; } = null!;

    public State Captured { get; private set; } = null!;

    public State PartiallyRefunded { get; private set; } = null!;

    public State Refunded { get; private set; } = null!;

    public State Voided { get; private set; } = null!;

    public State Expired { get; private set; } = null!;

    public Event<AuthorisePayment> AuthoriseRequested { get; private set; } = null!;

    public Event<CapturePayment> CaptureRequested { get; private set; } = null!;

    public Event<VoidPayment> VoidRequested { get; private set; } = null!;

    public Event<RefundPayment> RefundRequested { get; private set; } = null!;

    public Event<AcquirerAuthorisationCompleted> AcquirerCompleted { get; private set; } = null!;

    public Schedule<PaymentState, PaymentHoldExpired> HoldExpiry { get; private set; } = null!;

    public Schedule<PaymentState, PaymentAuthorisationDeadlinePassed> AuthorisationDeadline { get; private set; } = null!;

    private static bool IsNew(BehaviorContext<PaymentState, CapturePayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && !context.Saga.IsAtOperationLimit;

    private static bool IsOverLimit(BehaviorContext<PaymentState, CapturePayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && context.Saga.IsAtOperationLimit;

    private static bool IsNew(BehaviorContext<PaymentState, VoidPayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && !context.Saga.IsAtOperationLimit;

    private static bool IsOverLimit(BehaviorContext<PaymentState, VoidPayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && context.Saga.IsAtOperationLimit;

    private static bool IsNew(BehaviorContext<PaymentState, RefundPayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && !context.Saga.IsAtOperationLimit;

    private static bool IsOverLimit(BehaviorContext<PaymentState, RefundPayment> context) =>
        IsUnknownValidKey(context.Saga, context.Message.IdempotencyKey) && context.Saga.IsAtOperationLimit;

    private static bool IsRepeat(BehaviorContext<PaymentState, CapturePayment> context) =>
        HasValidKey(context.Message.IdempotencyKey) && IsKnown(context.Saga, context.Message.IdempotencyKey);

    private static bool IsRepeat(BehaviorContext<PaymentState, VoidPayment> context) =>
        HasValidKey(context.Message.IdempotencyKey) && IsKnown(context.Saga, context.Message.IdempotencyKey);

    private static bool IsRepeat(BehaviorContext<PaymentState, RefundPayment> context) =>
        HasValidKey(context.Message.IdempotencyKey) && IsKnown(context.Saga, context.Message.IdempotencyKey);

    private static bool IsUnknownValidKey(PaymentState payment, string idempotencyKey) =>
        HasValidKey(idempotencyKey) && !IsKnown(payment, idempotencyKey);

    private static bool HasValidKey(string idempotencyKey) => CommandValidation.ProblemWithKey(idempotencyKey) is null;

    private static bool IsKnown(PaymentState payment, string idempotencyKey) => payment.FindOperation(idempotencyKey) is not null;

    /// <summary>
    /// The authorisation that created the payment, sent again: same key and same details. Once the acquirer has
    /// answered the card token is forgotten, and the other details decide (the API has already compared the whole
    /// body under its key).
    /// </summary>
    private static bool IsSameAuthorisation(BehaviorContext<PaymentState, AuthorisePayment> context)
    {
        var (payment, command) = (context.Saga, context.Message);
        return command.IdempotencyKey == payment.AuthoriseIdempotencyKey && command.Amount == payment.RequestedAmount
            && command.Currency == payment.Currency && command.MerchantId == payment.MerchantId
            && command.CustomerId == payment.CustomerId && (payment.CardToken.Length == 0 || command.CardToken == payment.CardToken);
    }

    private static void StartAuthorisation(PaymentState payment, AuthorisePayment command, TimeProvider clock)
    {
        payment.MerchantId = command.MerchantId;
        payment.CustomerId = command.CustomerId;
        payment.Currency = command.Currency;
        payment.CardToken = command.CardToken;
        payment.RequestedAmount = command.Amount;
        payment.AuthoriseIdempotencyKey = command.IdempotencyKey;
        payment.CreatedAt = clock.GetUtcNow().UtcDateTime;
        payment.RecordAccepted(RecordedCommand.Of(command), null, payment.CreatedAt);
    }

    // No card token: the acquirer consumer reads it from the payment's row.
    private static RequestAcquirerAuthorisation RequestAuthorisation(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        MerchantId = payment.MerchantId,
        Amount = payment.RequestedAmount,
        Currency = payment.Currency,
    };

    private static void RecordDecline(PaymentState payment, string code, string reason, TimeProvider clock)
    {
        payment.DeclineCode = code;
        payment.DeclineReason = reason;
        payment.UpdatedAt = clock.GetUtcNow().UtcDateTime;
    }

    private static Task PublishNotFound(ConsumeContext context, RecordedCommand command, Guid paymentId) =>
        context.PublishEvent(PaymentEvents.Rejected(paymentId, command, PaymentRules.NotFound(paymentId)));
}
