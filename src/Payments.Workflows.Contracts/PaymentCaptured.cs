namespace Payments.Workflows.Contracts;

public sealed record PaymentCaptured
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }

    /// <summary>Sum of every capture so far, this one included.</summary>
    public required decimal CapturedAmount { get; init; }
}
