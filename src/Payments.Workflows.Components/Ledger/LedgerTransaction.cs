namespace Payments.Workflows.Components.Ledger;

/// <summary>One balanced, immutable posting: entries whose debits equal credits per currency and status.</summary>
public sealed class LedgerTransaction
{
    /// <summary>Deterministic from (payment, operation, idempotency key); the primary key, so a posting lands once.</summary>
    public Guid TransactionId { get; init; }

    public Guid PaymentId { get; init; }

    public LedgerOperation Operation { get; init; }

    public required string IdempotencyKey { get; init; }

    public DateTime PostedAt { get; init; }

    public List<LedgerEntry> Entries { get; init; } = [];
}
