namespace Payments.Workflows.Contracts;

/// <summary>Asks the service to authorise (place a hold for) a card payment.</summary>
public sealed record AuthorisePayment
{
    public required Guid PaymentId { get; init; }

    /// <summary>Caller-chosen key, up to 255 characters; the same key twice is one operation.</summary>
    public required string IdempotencyKey { get; init; }

    public required string MerchantId { get; init; }

    public required string CustomerId { get; init; }

    public required decimal Amount { get; init; }

    /// <summary>ISO-4217 alphabetic code, e.g. EUR.</summary>
    public required string Currency { get; init; }

    public required string CardToken { get; init; }
}
