namespace Payments.Workflows.Contracts;

/// <summary>Request for a payment's current state; answered by <see cref="PaymentStatus"/> or <see cref="PaymentNotFound"/>.</summary>
public sealed record GetPaymentStatus
{
    public required Guid PaymentId { get; init; }
}
