namespace Payments.Workflows.Contracts;

public sealed record PaymentAuthorised
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string MerchantId { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }

    public required string AcquirerReference { get; init; }

    /// <summary>When the hold is released if nothing has been captured.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
