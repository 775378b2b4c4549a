namespace Payments.Workflows.Contracts;

/// <summary>Gives back all or part of what was captured.</summary>
public sealed record RefundPayment
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required decimal Amount { get; init; }
}
