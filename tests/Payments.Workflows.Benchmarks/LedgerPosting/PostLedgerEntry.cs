namespace Payments.Workflows.Benchmarks.LedgerPosting;

/// <summary>A payment-agnostic posting: move <see cref="Amount"/> from one account to another, once per <see cref="PostingKey"/>.</summary>
public sealed record PostLedgerEntry
{
    public required Guid PostingKey { get; init; }

    public required string DebitAccount { get; init; }

    public required string CreditAccount { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }
}
