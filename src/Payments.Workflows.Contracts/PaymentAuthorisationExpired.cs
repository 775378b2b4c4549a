namespace Payments.Workflows.Contracts;

public sealed record PaymentAuthorisationExpired
{
    public required Guid PaymentId { get; init; }

    /// <summary>The uncaptured amount the expiry released.</summary>
    public required decimal ReleasedAmount { get; init; }

    public required string Currency { get; init; }
}
