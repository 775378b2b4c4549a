using Payments.Workflows.Components.Money;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// One factory per event the saga publishes, used both when a command is applied and when a repeat of its
/// idempotency key replays the outcome, so the two cannot drift apart.
/// </summary>
public static class PaymentEvents
{
    public const string DefaultDeclineCode = "declined";

    public const string DefaultDeclineReason = "Declined by the acquirer.";

    public static PaymentAuthorised Authorised(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = payment.AuthoriseIdempotencyKey,
        MerchantId = payment.MerchantId,
        Amount = Money(payment, payment.AuthorisedAmount),
        Currency = payment.Currency,
        AcquirerReference = payment.AcquirerReference ?? "",
        ExpiresAt = new DateTimeOffset(DateTime.SpecifyKind(payment.ExpiresAt ?? payment.UpdatedAt, DateTimeKind.Utc)),
    };

    public static PaymentDeclined Declined(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = payment.AuthoriseIdempotencyKey,
        ReasonCode = payment.DeclineCode ?? DefaultDeclineCode,
        Reason = payment.DeclineReason ?? DefaultDeclineReason,
    };

    /// <param name="capturedAmount">The total captured once this capture was applied.</param>
    public static PaymentCaptured Captured(PaymentState payment, string idempotencyKey, decimal amount, decimal capturedAmount) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = idempotencyKey,
        Amount = Money(payment, amount),
        Currency = payment.Currency,
        CapturedAmount = Money(payment, capturedAmount),
    };

    public static PaymentVoided Voided(PaymentState payment, string idempotencyKey, decimal releasedAmount) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = idempotencyKey,
        ReleasedAmount = Money(payment, releasedAmount),
        Currency = payment.Currency,
    };

    /// <param name="refundedAmount">The total refunded once this refund was applied.</param>
    public static PaymentRefunded Refunded(PaymentState payment, string idempotencyKey, decimal amount, decimal refundedAmount) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = idempotencyKey,
        Amount = Money(payment, amount),
        Currency = payment.Currency,
        RefundedAmount = Money(payment, refundedAmount),
    };

    public static PaymentAuthorisationExpired Expired(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        ReleasedAmount = Money(payment, payment.UncapturedAmount),
        Currency = payment.Currency,
    };

    public static PaymentCommandRejected Rejected(Guid paymentId, RecordedCommand command, Rejection rejection) => new()
    {
        PaymentId = paymentId,
        IdempotencyKey = command.IdempotencyKey ?? "",
        Command = command.Name,
        ReasonCode = rejection.Code,
        Reason = rejection.Reason,
    };

    /// <summary>An amount of the payment written with its currency's exponent (10.00 EUR, 1500 JPY), whatever scale it was stored or sent with.</summary>
    private static decimal Money(PaymentState payment, decimal amount) =>
        Currencies.IsKnown(payment.Currency) ? CommandValidation.Normalise(amount, payment.Currency) : amount;
}
