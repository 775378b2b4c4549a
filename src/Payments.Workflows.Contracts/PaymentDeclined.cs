namespace Payments.Workflows.Contracts;

public sealed record PaymentDeclined
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }
}
