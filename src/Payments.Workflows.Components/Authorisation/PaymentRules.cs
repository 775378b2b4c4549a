using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Money;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>A reason a command cannot be applied.</summary>
public sealed record Rejection(string Code, string Reason);

/// <summary>
/// The payment's business rules, as pure functions of the saga and the command: which state accepts which
/// command, and how much may be captured or refunded. The state machine only wires them to events.
/// </summary>
public static class PaymentRules
{
    public static Rejection? CheckAuthorise(AuthorisePayment command)
    {
        if (IdempotencyKeys.Problem(command.IdempotencyKey) is { } keyProblem)
            return new Rejection(RejectionReasons.InvalidIdempotencyKey, keyProblem);
        if (command.PaymentId == Guid.Empty)
            return new Rejection(RejectionReasons.InvalidCommand, "PaymentId is required.");
        if (string.IsNullOrWhiteSpace(command.MerchantId))
            return new Rejection(RejectionReasons.InvalidCommand, "MerchantId is required.");
        if (string.IsNullOrWhiteSpace(command.CustomerId))
            return new Rejection(RejectionReasons.InvalidCommand, "CustomerId is required.");
        if (string.IsNullOrWhiteSpace(command.CardToken))
            return new Rejection(RejectionReasons.InvalidCommand, "CardToken is required.");
        if (!Currencies.IsKnown(command.Currency))
            return new Rejection(RejectionReasons.InvalidCurrency, $"'{command.Currency}' is not an ISO-4217 currency code.");
        return Currencies.ProblemWithAmount(command.Amount, command.Currency) is { } amountProblem
            ? new Rejection(RejectionReasons.InvalidAmount, amountProblem)
            : null;
    }

    public static Rejection? CheckCapture(PaymentState payment, string state, decimal amount)
    {
        if (state is not (nameof(PaymentStateMachine.Authorised) or nameof(PaymentStateMachine.PartiallyCaptured)))
            return WrongState(PaymentCommands.Capture, state);
        if (CheckAmount(payment, amount) is { } amountProblem)
            return amountProblem;
        return amount > payment.UncapturedAmount
            ? new Rejection(RejectionReasons.AmountExceedsAuthorised,
                $"Capture of {amount} {payment.Currency} exceeds the {payment.UncapturedAmount} {payment.Currency} still authorised and uncaptured.")
            : null;
    }

    public static Rejection? CheckVoid(string state) =>
        state is nameof(PaymentStateMachine.Authorised) or nameof(PaymentStateMachine.PartiallyCaptured)
            ? null
            : WrongState(PaymentCommands.Void, state);

    public static Rejection? CheckRefund(PaymentState payment, string state, decimal amount)
    {
        if (state is not (nameof(PaymentStateMachine.PartiallyCaptured) or nameof(PaymentStateMachine.Captured) or nameof(PaymentStateMachine.PartiallyRefunded)
            or nameof(PaymentStateMachine.Voided) or nameof(PaymentStateMachine.Expired)))
        {
            return WrongState(PaymentCommands.Refund, state);
        }

        if (CheckAmount(payment, amount) is { } amountProblem)
            return amountProblem;
        return amount > payment.RefundableAmount
            ? new Rejection(RejectionReasons.AmountExceedsCaptured,
                $"Refund of {amount} {payment.Currency} exceeds the {payment.RefundableAmount} {payment.Currency} captured and not yet refunded.")
            : null;
    }

    private static Rejection? CheckAmount(PaymentState payment, decimal amount) =>
        Currencies.ProblemWithAmount(amount, payment.Currency) is { } problem
            ? new Rejection(RejectionReasons.InvalidAmount, problem)
            : null;

    private static Rejection WrongState(string command, string state) =>
        new(RejectionReasons.InvalidState, $"{command} is not allowed while the payment is {state}.");
}
