namespace Payments.Workflows.Service.Api;

/// <summary>
/// One payment with its outcomes and ledger postings. Merchant, customer and currency are null only while
/// the state is <see cref="PaymentViews.AcceptedState"/>: the API accepted the authorisation, the saga has not
/// picked it up yet. <see cref="Operations"/> holds the newest operations only (<see cref="PaymentViews.RecentOperations"/>),
/// in the order they happened, and <see cref="Rejections"/> the newest rejections; <see cref="OperationCount"/> is the
/// whole log's length, and while <see cref="HasMoreOperations"/> the older ones are read from <c>/payments/{id}/operations</c>.
/// </summary>
internal sealed record PaymentDetails(
    Guid PaymentId,
    string? MerchantId,
    string? CustomerId,
    string State,
    string? Currency,
    decimal RequestedAmount,
    decimal AuthorisedAmount,
    decimal CapturedAmount,
    decimal RefundedAmount,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    DateTime? ExpiresAt,
    string? DeclineCode,
    string? DeclineReason,
    IReadOnlyList<PaymentRejectionView> Rejections,
    IReadOnlyList<PaymentOperationView> Operations,
    int OperationCount,
    bool HasMoreOperations,
    IReadOnlyList<LedgerTransactionView> LedgerTransactions);
