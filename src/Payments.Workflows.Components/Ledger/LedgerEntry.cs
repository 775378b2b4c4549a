namespace Payments.Workflows.Components.Ledger;

public sealed class LedgerEntry
{
    public long Id { get; init; }

    public Guid TransactionId { get; init; }

    public required string AccountId { get; init; }

    public required string Currency { get; init; }

    public decimal Debit { get; init; }

    public decimal Credit { get; init; }

    public LedgerEntryStatus Status { get; init; }
}
