namespace Payments.Workflows.Components.Idempotency;

/// <summary>
/// An HTTP request accepted under an Idempotency-Key: the same key with the same body gets the same answer,
/// with a different body a conflict. Saved in the same transaction as the outbox rows the request sent.
/// </summary>
public sealed class IdempotentRequest
{
    /// <summary>What the key is scoped to: "authorise:{merchantId}", or "capture:{paymentId}" and the like.</summary>
    public required string Scope { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the canonical request body, hex.</summary>
    public required string RequestHash { get; init; }

    public Guid PaymentId { get; init; }

    /// <summary>The merchant whose payment the request is for: the owner of an authorisation the saga has not recorded yet.</summary>
    public string? MerchantId { get; init; }

    public DateTime CreatedAt { get; init; }
}
