namespace Payments.Workflows.Contracts;

public sealed record PaymentVoided
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>The uncaptured amount the void released.</summary>
    public required decimal ReleasedAmount { get; init; }

    public required string Currency { get; init; }
}
