namespace Payments.Workflows.Contracts;

public sealed record PaymentStatus
{
    public required Guid PaymentId { get; init; }

    public required string State { get; init; }

    public required string MerchantId { get; init; }

    public required string Currency { get; init; }

    public required decimal AuthorisedAmount { get; init; }

    public required decimal CapturedAmount { get; init; }

    public required decimal RefundedAmount { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
