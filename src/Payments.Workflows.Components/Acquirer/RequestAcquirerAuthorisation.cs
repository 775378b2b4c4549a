namespace Payments.Workflows.Components.Acquirer;

/// <summary>
/// Sent by the payment saga to the acquirer endpoint. It carries no card token: the acquirer consumer reads it from
/// the payment's row, so no queue, <c>_error</c> copy or <c>Fault&lt;T&gt;</c> of this message holds one.
/// </summary>
public sealed record RequestAcquirerAuthorisation
{
    public required Guid PaymentId { get; init; }

    public required string MerchantId { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }
}
