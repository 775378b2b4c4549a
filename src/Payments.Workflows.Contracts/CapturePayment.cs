namespace Payments.Workflows.Contracts;

/// <summary>Captures all or part of what is still authorised and uncaptured.</summary>
public sealed record CapturePayment
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required decimal Amount { get; init; }
}
