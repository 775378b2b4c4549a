namespace Payments.Workflows.Contracts;

/// <summary>The reason codes carried by <see cref="PaymentCommandRejected"/>.</summary>
public static class RejectionReasons
{
    public const string InvalidState = "invalid-state";
    public const string AmountExceedsAuthorised = "amount-exceeds-authorised";
    public const string AmountExceedsCaptured = "amount-exceeds-captured";
    public const string InvalidAmount = "invalid-amount";
    public const string InvalidCurrency = "invalid-currency";
    public const string InvalidIdempotencyKey = "invalid-idempotency-key";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string InvalidCommand = "invalid-command";
    public const string PaymentNotFound = "payment-not-found";

    /// <summary>The payment has logged as many operations as it keeps; new commands are refused and not logged.</summary>
    public const string OperationLimit = "operation-limit";
}
