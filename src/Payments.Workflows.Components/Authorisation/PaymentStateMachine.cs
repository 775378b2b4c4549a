using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// One payment from authorisation to its last refund. Every command first meets the idempotency log: a key
/// seen before gets its first outcome again and changes nothing. A new command is checked by
/// <see cref="PaymentRules"/>; a broken rule is answered with <see cref="PaymentCommandRejected"/> and leaves
/// state and ledger as they were.
/// </summary>
public sealed class PaymentStateMachine : MassTransitStateMachine<PaymentState>
{
    private const string HoldExpiryKey = "hold-expiry";

    public PaymentStateMachine(IOptions<PaymentsOptions> options, TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => AuthoriseRequested, x => x.CorrelateById(m => m.Message.PaymentId));
        Event(() => CaptureRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, c.Message.PaymentId, c.Message.IdempotencyKey, PaymentCommands.Capture)));
        });
        Event(() => VoidRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, c.Message.PaymentId, c.Message.IdempotencyKey, PaymentCommands.Void)));
        });
        Event(() => RefundRequested, x =>
        {
            x.CorrelateById(m => m.Message.PaymentId);
            x.OnMissingInstance(m => m.ExecuteAsync(c => PublishNotFound(c, c.Message.PaymentId, c.Message.IdempotencyKey, PaymentCommands.Refund)));
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

        Initially(
            When(AuthoriseRequested)
                .IfElse(c => PaymentRules.CheckAuthorise(c.Message) is not null,
                    invalid => invalid
                        .PublishAsync(c => c.Init<PaymentCommandRejected>(Rejected(c.Message.PaymentId, c.Message.IdempotencyKey,
                            PaymentCommands.Authorise, PaymentRules.CheckAuthorise(c.Message)!)))
                        .Finalize(),
                    valid => valid
                        .Then(c => StartAuthorisation(c, clock))
                        .SendAsync(AcquirerEndpoint.Address, c => c.Init<RequestAcquirerAuthorisation>(new RequestAcquirerAuthorisation
                        {
                            PaymentId = c.Saga.CorrelationId,
                            MerchantId = c.Saga.MerchantId,
                            Amount = c.Saga.RequestedAmount,
                            Currency = c.Saga.Currency,
                            CardToken = c.Saga.CardToken,
                        }))
                        .TransitionTo(Authorising)));

        During(Authorising,
            When(AcquirerCompleted, c => c.Message.Approved)
                .Then(c => PlaceHold(c, clock, options.Value.HoldDuration))
                .Schedule(HoldExpiry, c => new PaymentHoldExpired { PaymentId = c.Saga.CorrelationId })
                .PublishAsync(c => c.Init<PaymentAuthorised>(AuthorisedEvent(c.Saga)))
                .TransitionTo(Authorised),
            When(AcquirerCompleted, c => !c.Message.Approved)
                .Then(c =>
                {
                    c.Saga.DeclineCode = c.Message.DeclineCode ?? "declined";
                    c.Saga.DeclineReason = c.Message.DeclineReason ?? "Declined by the acquirer.";
                    c.Saga.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                })
                .PublishAsync(c => c.Init<PaymentDeclined>(DeclinedEvent(c.Saga)))
                .TransitionTo(Declined));

        During(Authorised, PartiallyCaptured,
            When(HoldExpiry.Received)
                .Then(c => Release(c, LedgerOperation.Expire, HoldExpiryKey, clock))
                .PublishAsync(c => c.Init<PaymentAuthorisationExpired>(new PaymentAuthorisationExpired
                {
                    PaymentId = c.Saga.CorrelationId,
                    ReleasedAmount = c.Saga.UncapturedAmount,
                    Currency = c.Saga.Currency,
                }))
                .TransitionTo(Expired));

        During([Declined, Captured, PartiallyRefunded, Refunded, Voided, Expired],
            Ignore(AcquirerCompleted),
            Ignore(HoldExpiry.Received));
        During(Authorised, PartiallyCaptured,
            Ignore(AcquirerCompleted));

        DuringAny(
            When(AuthoriseRequested)
                .ThenAsync(RepeatAuthorise),
            When(CaptureRequested)
                .IfElse(c => c.Saga.FindOperation(c.Message.IdempotencyKey) is not null,
                    repeat => repeat.ThenAsync(c => Replay(c, PaymentCommands.Capture, c.Message.Amount)),
                    fresh => fresh.IfElse(c => PaymentRules.CheckCapture(c.Saga, c.Saga.CurrentState, c.Message.Amount) is not null,
                        reject => reject.ThenAsync(c => Reject(c, PaymentCommands.Capture, c.Message.Amount,
                            PaymentRules.CheckCapture(c.Saga, c.Saga.CurrentState, c.Message.Amount)!, clock)),
                        accept => accept
                            .Then(c => Capture(c, clock))
                            .PublishAsync(c => c.Init<PaymentCaptured>(new PaymentCaptured
                            {
                                PaymentId = c.Saga.CorrelationId,
                                IdempotencyKey = c.Message.IdempotencyKey,
                                Amount = c.Message.Amount,
                                Currency = c.Saga.Currency,
                                CapturedAmount = c.Saga.CapturedAmount,
                            }))
                            .IfElse(c => c.Saga.UncapturedAmount == 0,
                                full => full.Unschedule(HoldExpiry).TransitionTo(Captured),
                                part => part.TransitionTo(PartiallyCaptured)))),
            When(VoidRequested)
                .IfElse(c => c.Saga.FindOperation(c.Message.IdempotencyKey) is not null,
                    repeat => repeat.ThenAsync(c => Replay(c, PaymentCommands.Void, null)),
                    fresh => fresh.IfElse(c => PaymentRules.CheckVoid(c.Saga.CurrentState) is not null,
                        reject => reject.ThenAsync(c => Reject(c, PaymentCommands.Void, null, PaymentRules.CheckVoid(c.Saga.CurrentState)!, clock)),
                        accept => accept
                            .Then(c => Release(c, LedgerOperation.Void, c.Message.IdempotencyKey, clock))
                            .PublishAsync(c => c.Init<PaymentVoided>(new PaymentVoided
                            {
                                PaymentId = c.Saga.CorrelationId,
                                IdempotencyKey = c.Message.IdempotencyKey,
                                ReleasedAmount = c.Saga.UncapturedAmount,
                                Currency = c.Saga.Currency,
                            }))
                            .Unschedule(HoldExpiry)
                            .TransitionTo(Voided))),
            When(RefundRequested)
                .IfElse(c => c.Saga.FindOperation(c.Message.IdempotencyKey) is not null,
                    repeat => repeat.ThenAsync(c => Replay(c, PaymentCommands.Refund, c.Message.Amount)),
                    fresh => fresh.IfElse(c => PaymentRules.CheckRefund(c.Saga, c.Saga.CurrentState, c.Message.Amount) is not null,
                        reject => reject.ThenAsync(c => Reject(c, PaymentCommands.Refund, c.Message.Amount,
                            PaymentRules.CheckRefund(c.Saga, c.Saga.CurrentState, c.Message.Amount)!, clock)),
                        accept => accept
                            .If(c => c.Saga.CurrentState == PartiallyCaptured.Name, end => end
                                .Then(c => ReleaseRemainder(c, c.Message.IdempotencyKey))
                                .Unschedule(HoldExpiry))
                            .Then(c => Refund(c, clock))
                            .PublishAsync(c => c.Init<PaymentRefunded>(new PaymentRefunded
                            {
                                PaymentId = c.Saga.CorrelationId,
                                IdempotencyKey = c.Message.IdempotencyKey,
                                Amount = c.Message.Amount,
                                Currency = c.Saga.Currency,
                                RefundedAmount = c.Saga.RefundedAmount,
                            }))
                            .IfElse(c => c.Saga.RefundableAmount == 0,
                                full => full.TransitionTo(Refunded),
                                part => part.TransitionTo(PartiallyRefunded)))));

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

    private static void StartAuthorisation(BehaviorContext<PaymentState, AuthorisePayment> context, TimeProvider clock)
    {
        var payment = context.Saga;
        var command = context.Message;
        var now = clock.GetUtcNow().UtcDateTime;
        payment.MerchantId = command.MerchantId;
        payment.CustomerId = command.CustomerId;
        payment.Currency = command.Currency;
        payment.CardToken = command.CardToken;
        payment.RequestedAmount = command.Amount;
        payment.AuthoriseIdempotencyKey = command.IdempotencyKey;
        payment.CreatedAt = now;
        payment.UpdatedAt = now;
        payment.Operations.Add(new PaymentOperation
        {
            IdempotencyKey = command.IdempotencyKey,
            Command = PaymentCommands.Authorise,
            Amount = command.Amount,
            Accepted = true,
            RecordedAt = now,
        });
    }

    private static void PlaceHold(BehaviorContext<PaymentState, AcquirerAuthorisationCompleted> context, TimeProvider clock, TimeSpan holdDuration)
    {
        var payment = context.Saga;
        var now = clock.GetUtcNow().UtcDateTime;
        payment.AuthorisedAmount = payment.RequestedAmount;
        payment.AcquirerReference = context.Message.AcquirerReference;
        payment.AuthorisedAt = now;
        payment.ExpiresAt = now + holdDuration;
        payment.UpdatedAt = now;
        context.GetServiceOrCreateInstance<LedgerWriter>().Post(payment.CorrelationId, LedgerOperation.Authorise, payment.AuthoriseIdempotencyKey,
            LedgerPostings.Authorise(Customer(payment), Merchant(payment), payment.AuthorisedAmount, payment.Currency));
    }

    private static void Capture(BehaviorContext<PaymentState, CapturePayment> context, TimeProvider clock)
    {
        var payment = context.Saga;
        var command = context.Message;
        payment.CapturedAmount += command.Amount;
        Record(payment, command.IdempotencyKey, PaymentCommands.Capture, command.Amount, payment.CapturedAmount, clock);
        context.GetServiceOrCreateInstance<LedgerWriter>().Post(payment.CorrelationId, LedgerOperation.Capture, command.IdempotencyKey,
            LedgerPostings.Capture(Customer(payment), Merchant(payment), command.Amount, payment.Currency));
    }

    private static void Refund(BehaviorContext<PaymentState, RefundPayment> context, TimeProvider clock)
    {
        var payment = context.Saga;
        var command = context.Message;
        payment.RefundedAmount += command.Amount;
        Record(payment, command.IdempotencyKey, PaymentCommands.Refund, command.Amount, payment.RefundedAmount, clock);
        context.GetServiceOrCreateInstance<LedgerWriter>().Post(payment.CorrelationId, LedgerOperation.Refund, command.IdempotencyKey,
            LedgerPostings.Refund(Customer(payment), Merchant(payment), command.Amount, payment.Currency));
    }

    /// <summary>Void and expiry: release whatever is still held and uncaptured.</summary>
    private static void Release(BehaviorContext<PaymentState> context, LedgerOperation operation, string idempotencyKey, TimeProvider clock)
    {
        var payment = context.Saga;
        var released = payment.UncapturedAmount;
        if (operation == LedgerOperation.Void)
            Record(payment, idempotencyKey, PaymentCommands.Void, null, released, clock);
        else
            payment.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (released > 0)
        {
            context.GetServiceOrCreateInstance<LedgerWriter>().Post(payment.CorrelationId, operation, idempotencyKey,
                LedgerPostings.Release(Customer(payment), Merchant(payment), released, payment.Currency));
        }
    }

    /// <summary>
    /// A refund after a partial capture ends the capture phase, as a final partial capture does at the card
    /// schemes: what was never captured is released, and the hold stops running.
    /// </summary>
    private static void ReleaseRemainder(BehaviorContext<PaymentState> context, string refundKey)
    {
        var payment = context.Saga;
        var remainder = payment.UncapturedAmount;
        context.GetServiceOrCreateInstance<LedgerWriter>().Post(payment.CorrelationId, LedgerOperation.Release, refundKey,
            LedgerPostings.Release(Customer(payment), Merchant(payment), remainder, payment.Currency));
    }

    private static void Record(PaymentState payment, string key, string command, decimal? amount, decimal? result, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        payment.UpdatedAt = now;
        payment.Operations.Add(new PaymentOperation
        {
            IdempotencyKey = key,
            Command = command,
            Amount = amount,
            Accepted = true,
            ResultAmount = result,
            RecordedAt = now,
        });
    }

    private static async Task Reject<T>(BehaviorContext<PaymentState, T> context, string command, decimal? amount, Rejection rejection, TimeProvider clock)
        where T : class
    {
        var key = IdempotencyKeyOf(context.Message);
        var now = clock.GetUtcNow().UtcDateTime;

        // While the acquirer has not answered, "wrong state" is only "too early": like Stripe, a request that
        // conflicts with one still executing is not saved, so the caller may retry with the same key.
        if (context.Saga.CurrentState == nameof(Authorising))
        {
            await context.Publish(Rejected(context.Saga.CorrelationId, key, command, rejection)).ConfigureAwait(false);
            return;
        }

        context.Saga.Operations.Add(new PaymentOperation
        {
            IdempotencyKey = key,
            Command = command,
            Amount = amount,
            Accepted = false,
            ReasonCode = rejection.Code,
            Reason = rejection.Reason,
            RecordedAt = now,
        });
        context.Saga.UpdatedAt = now;
        await context.Publish(Rejected(context.Saga.CorrelationId, key, command, rejection)).ConfigureAwait(false);
    }

    /// <summary>A command whose key was seen before: answer with the first outcome, change nothing.</summary>
    private static Task Replay<T>(BehaviorContext<PaymentState, T> context, string command, decimal? amount)
        where T : class
    {
        var payment = context.Saga;
        var key = IdempotencyKeyOf(context.Message);
        var first = payment.FindOperation(key)!;
        if (first.Command != command || first.Amount != amount)
        {
            return context.Publish(Rejected(payment.CorrelationId, key, command, new Rejection(RejectionReasons.IdempotencyKeyReused,
                $"Idempotency key '{key}' was already used for {first.Command}{(first.Amount is { } a ? $" of {a} {payment.Currency}" : "")}.")));
        }

        if (!first.Accepted)
            return context.Publish(Rejected(payment.CorrelationId, key, command, new Rejection(first.ReasonCode!, first.Reason!)));

        return command switch
        {
            PaymentCommands.Capture => context.Publish(new PaymentCaptured
            {
                PaymentId = payment.CorrelationId, IdempotencyKey = key, Amount = first.Amount!.Value,
                Currency = payment.Currency, CapturedAmount = first.ResultAmount!.Value,
            }),
            PaymentCommands.Refund => context.Publish(new PaymentRefunded
            {
                PaymentId = payment.CorrelationId, IdempotencyKey = key, Amount = first.Amount!.Value,
                Currency = payment.Currency, RefundedAmount = first.ResultAmount!.Value,
            }),
            PaymentCommands.Void => context.Publish(new PaymentVoided
            {
                PaymentId = payment.CorrelationId, IdempotencyKey = key, ReleasedAmount = first.ResultAmount!.Value, Currency = payment.Currency,
            }),
            _ => Task.CompletedTask,
        };
    }

    private Task RepeatAuthorise(BehaviorContext<PaymentState, AuthorisePayment> context)
    {
        var payment = context.Saga;
        var command = context.Message;
        if (command.IdempotencyKey != payment.AuthoriseIdempotencyKey)
        {
            return context.Publish(Rejected(payment.CorrelationId, command.IdempotencyKey, PaymentCommands.Authorise,
                new Rejection(RejectionReasons.InvalidState, $"Payment {payment.CorrelationId} already exists with another idempotency key.")));
        }

        if (command.Amount != payment.RequestedAmount || command.Currency != payment.Currency || command.MerchantId != payment.MerchantId
            || command.CustomerId != payment.CustomerId || command.CardToken != payment.CardToken)
        {
            return context.Publish(Rejected(payment.CorrelationId, command.IdempotencyKey, PaymentCommands.Authorise,
                new Rejection(RejectionReasons.IdempotencyKeyReused,
                    $"Idempotency key '{command.IdempotencyKey}' was already used to authorise different details.")));
        }

        // Still waiting on the acquirer: the first outcome is published when it arrives.
        if (payment.CurrentState == Authorising.Name)
            return Task.CompletedTask;
        return payment.CurrentState == Declined.Name
            ? context.Publish(DeclinedEvent(payment))
            : context.Publish(AuthorisedEvent(payment));
    }

    private static Task PublishNotFound(ConsumeContext context, Guid paymentId, string idempotencyKey, string command) =>
        context.Publish(Rejected(paymentId, idempotencyKey, command,
            new Rejection(RejectionReasons.PaymentNotFound, $"Payment {paymentId} does not exist.")));

    private static PaymentCommandRejected Rejected(Guid paymentId, string idempotencyKey, string command, Rejection rejection) => new()
    {
        PaymentId = paymentId,
        IdempotencyKey = idempotencyKey ?? "",
        Command = command,
        ReasonCode = rejection.Code,
        Reason = rejection.Reason,
    };

    private static PaymentAuthorised AuthorisedEvent(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = payment.AuthoriseIdempotencyKey,
        MerchantId = payment.MerchantId,
        Amount = payment.AuthorisedAmount,
        Currency = payment.Currency,
        AcquirerReference = payment.AcquirerReference ?? "",
        ExpiresAt = new DateTimeOffset(DateTime.SpecifyKind(payment.ExpiresAt ?? payment.UpdatedAt, DateTimeKind.Utc)),
    };

    private static PaymentDeclined DeclinedEvent(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = payment.AuthoriseIdempotencyKey,
        ReasonCode = payment.DeclineCode ?? "declined",
        Reason = payment.DeclineReason ?? "Declined by the acquirer.",
    };

    private static string IdempotencyKeyOf<T>(T message) => message switch
    {
        CapturePayment m => m.IdempotencyKey,
        VoidPayment m => m.IdempotencyKey,
        RefundPayment m => m.IdempotencyKey,
        AuthorisePayment m => m.IdempotencyKey,
        _ => "",
    };

    private static string Customer(PaymentState payment) => LedgerAccounts.Customer(payment.CustomerId);

    private static string Merchant(PaymentState payment) => LedgerAccounts.Merchant(payment.MerchantId);
}
