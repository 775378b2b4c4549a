namespace Payments.Workflows.Contracts;

public sealed record PaymentNotFound
{
    public required Guid PaymentId { get; init; }
}
