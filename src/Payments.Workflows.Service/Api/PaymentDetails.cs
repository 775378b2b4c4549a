namespace Payments.Workflows.Service.Api;

/// <summary>
/// One payment with its outcomes and ledger postings. Merchant, customer and currency are null only while
/// the state is <see cref="PaymentViews.AcceptedState"/>: the API accepted the authorisation, the saga has not
/// picked it up yet.
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
    IReadOnlyList<LedgerTransactionView> LedgerTransactions);
