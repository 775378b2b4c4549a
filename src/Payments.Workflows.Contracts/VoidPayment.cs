namespace Payments.Workflows.Contracts;

/// <summary>Releases the uncaptured remainder of an authorisation.</summary>
public sealed record VoidPayment
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }
}
