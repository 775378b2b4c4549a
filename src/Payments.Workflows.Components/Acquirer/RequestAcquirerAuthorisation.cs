namespace Payments.Workflows.Components.Acquirer;

/// <summary>Sent by the payment saga to the acquirer endpoint.</summary>
public sealed record RequestAcquirerAuthorisation
{
    public required Guid PaymentId { get; init; }

    public required string MerchantId { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }

    public required string CardToken { get; init; }
}
