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
        Amount = payment.AuthorisedAmount,
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
        Amount = amount,
        Currency = payment.Currency,
        CapturedAmount = capturedAmount,
    };

    public static PaymentVoided Voided(PaymentState payment, string idempotencyKey, decimal releasedAmount) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = idempotencyKey,
        ReleasedAmount = releasedAmount,
        Currency = payment.Currency,
    };

    /// <param name="refundedAmount">The total refunded once this refund was applied.</param>
    public static PaymentRefunded Refunded(PaymentState payment, string idempotencyKey, decimal amount, decimal refundedAmount) => new()
    {
        PaymentId = payment.CorrelationId,
        IdempotencyKey = idempotencyKey,
        Amount = amount,
        Currency = payment.Currency,
        RefundedAmount = refundedAmount,
    };

    public static PaymentAuthorisationExpired Expired(PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        ReleasedAmount = payment.UncapturedAmount,
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
}
