using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Money;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// The payment's business rules, as pure functions of the saga and the command: what a command must carry and
/// how much may be captured or refunded. Which state accepts which command is the state machine's business.
/// </summary>
public static class PaymentRules
{
    public static Rejection? CheckAuthorise(AuthorisePayment command)
    {
        if (IdempotencyKeys.Problem(command.IdempotencyKey) is { } keyProblem)
            return new Rejection(RejectionReasons.InvalidIdempotencyKey, keyProblem);
        if (command.PaymentId == Guid.Empty)
            return new Rejection(RejectionReasons.InvalidCommand, "PaymentId is required.");
        // Text the database would refuse (too long, control characters) is refused here, before the saga writes it.
        foreach (var (field, value, length) in new[]
        {
            (CommandValidation.Fields.MerchantId, command.MerchantId, ColumnLengths.ExternalId),
            (CommandValidation.Fields.CustomerId, command.CustomerId, ColumnLengths.ExternalId),
            (CommandValidation.Fields.CardToken, command.CardToken, ColumnLengths.CardToken),
        })
        {
            if (CommandValidation.ProblemWithText(field, value, length) is { } problem)
                return new Rejection(RejectionReasons.InvalidCommand, problem);
        }

        if (!Currencies.IsKnown(command.Currency))
            return new Rejection(RejectionReasons.InvalidCurrency, CommandValidation.ProblemWithCurrency(command.Currency)!);
        return Currencies.ProblemWithAmount(command.Amount, command.Currency) is { } amountProblem
            ? new Rejection(RejectionReasons.InvalidAmount, amountProblem)
            : null;
    }

    public static Rejection? CheckCapture(PaymentState payment, CapturePayment command) =>
        CheckAmountWithin(payment, command.Amount, payment.UncapturedAmount, RejectionReasons.AmountExceedsAuthorised,
            $"Capture of {command.Amount}", "still authorised and uncaptured");

    public static Rejection? CheckRefund(PaymentState payment, RefundPayment command) =>
        CheckAmountWithin(payment, command.Amount, payment.RefundableAmount, RejectionReasons.AmountExceedsCaptured,
            $"Refund of {command.Amount}", "captured and not yet refunded");

    /// <summary>A command that the payment's current state does not accept.</summary>
    public static Rejection WrongState(string command, string state) =>
        new(RejectionReasons.InvalidState, $"{command} is not allowed while the payment is {state}.");

    /// <summary>A known idempotency key sent with another command or amount than its first use.</summary>
    public static Rejection KeyReused(PaymentState payment, PaymentOperation first) =>
        new(RejectionReasons.IdempotencyKeyReused,
            $"Idempotency key '{first.IdempotencyKey}' was already used for {first.Command}{(first.Amount is { } a ? $" of {a} {payment.Currency}" : "")}.");

    /// <summary>An authorisation for an existing payment with its key but other details.</summary>
    public static Rejection AuthorisationKeyReused(AuthorisePayment command) =>
        new(RejectionReasons.IdempotencyKeyReused, $"Idempotency key '{command.IdempotencyKey}' was already used to authorise different details.");

    /// <summary>An authorisation for an existing payment under another idempotency key.</summary>
    public static Rejection PaymentExists(PaymentState payment) =>
        new(RejectionReasons.InvalidState, $"Payment {payment.CorrelationId} already exists with another idempotency key.");

    /// <summary>A new command for a payment whose operation log is full (<see cref="PaymentState.MaxOperations"/>).</summary>
    public static Rejection OperationLimit(PaymentState payment) =>
        new(RejectionReasons.OperationLimit,
            $"Payment {payment.CorrelationId} has {payment.Operations.Count} operations, the most one payment keeps; it takes no new commands.");

    public static Rejection NotFound(Guid paymentId) =>
        new(RejectionReasons.PaymentNotFound, $"Payment {paymentId} does not exist.");

    /// <summary>A valid amount for the payment's currency, and no more than <paramref name="limit"/>.</summary>
    private static Rejection? CheckAmountWithin(PaymentState payment, decimal amount, decimal limit, string exceededCode, string what, string limitIs)
    {
        if (Currencies.ProblemWithAmount(amount, payment.Currency) is { } problem)
            return new Rejection(RejectionReasons.InvalidAmount, problem);
        return amount > limit
            ? new Rejection(exceededCode, $"{what} {payment.Currency} exceeds the {limit} {payment.Currency} {limitIs}.")
            : null;
    }
}
