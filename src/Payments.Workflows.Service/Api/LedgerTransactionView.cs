namespace Payments.Workflows.Service.Api;

/// <summary>One balanced posting of the payment.</summary>
internal sealed record LedgerTransactionView(Guid TransactionId, string Operation, string IdempotencyKey, DateTime PostedAt, IReadOnlyList<LedgerEntryView> Entries);
