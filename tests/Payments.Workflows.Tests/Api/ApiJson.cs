namespace Payments.Workflows.Tests.Api;

// The API's JSON as the tests expect it, written independently of the service's own types.

public sealed record AcceptedJson(Guid PaymentId);

public sealed record PaymentJson(
    Guid PaymentId,
    string? MerchantId,
    string? CustomerId,
    string State,
    string? Currency,
    decimal AuthorisedAmount,
    decimal CapturedAmount,
    decimal RefundedAmount,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    DateTime? ExpiresAt,
    IReadOnlyList<RejectionJson> Rejections,
    IReadOnlyList<LedgerTransactionJson> LedgerTransactions);

public sealed record RejectionJson(string Command, string ReasonCode, string Reason, string IdempotencyKey, DateTime At);

public sealed record LedgerTransactionJson(Guid TransactionId, string Operation, DateTime PostedAt, IReadOnlyList<LedgerEntryJson> Entries);

public sealed record LedgerEntryJson(string Account, decimal Debit, decimal Credit, string Currency, string Status);

public sealed record PaymentPageJson(IReadOnlyList<PaymentSummaryJson> Items, bool HasMore, string? NextStartingAfter);

public sealed record PaymentSummaryJson(
    Guid PaymentId, string MerchantId, string CustomerId, string State, string Currency, decimal AuthorisedAmount, DateTime CreatedAt);

public sealed record OperationJson(int Sequence, string Command, string IdempotencyKey, decimal? Amount, bool Accepted, string? ReasonCode, DateTime At);

/// <summary>GET /payments/{id} as far as its operation log goes.</summary>
public sealed record PaymentOperationsJson(IReadOnlyList<OperationJson> Operations, int OperationCount, bool HasMoreOperations, IReadOnlyList<RejectionJson> Rejections);

public sealed record OperationPageJson(IReadOnlyList<OperationJson> Items, bool HasMore);

public sealed record AccountJson(string AccountId, IReadOnlyList<BalanceJson> Balances);

public sealed record BalanceJson(string Currency, decimal Posted, decimal Pending, decimal Available);

public sealed record ProblemJson(string Type, string Title, int Status, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null);
