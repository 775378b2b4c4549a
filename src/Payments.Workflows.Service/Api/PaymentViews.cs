using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;

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

internal sealed record PaymentRejectionView(string Command, string? ReasonCode, string? Reason, string IdempotencyKey, DateTime At);

internal sealed record PaymentOperationView(
    string Command, string IdempotencyKey, decimal? Amount, bool Accepted, string? ReasonCode, string? Reason, decimal? ResultAmount, DateTime At);

internal sealed record LedgerTransactionView(Guid TransactionId, string Operation, string IdempotencyKey, DateTime PostedAt, IReadOnlyList<LedgerEntryView> Entries);

internal sealed record LedgerEntryView(string Account, string Currency, decimal Debit, decimal Credit, string Status);

internal sealed record PaymentSummary(
    Guid PaymentId,
    string MerchantId,
    string CustomerId,
    string State,
    string Currency,
    decimal RequestedAmount,
    decimal AuthorisedAmount,
    decimal CapturedAmount,
    decimal RefundedAmount,
    DateTime CreatedAt,
    DateTime UpdatedAt);

internal sealed record PaymentPage(IReadOnlyList<PaymentSummary> Items, int Total, int Page, int PageSize);

internal sealed record AccountBalances(string AccountId, IReadOnlyList<AccountBalanceView> Balances);

internal sealed record AccountBalanceView(string Currency, decimal Posted, decimal Pending, decimal Available);

internal static class PaymentViews
{
    /// <summary>The state shown for an authorisation the API accepted and the saga has not yet recorded.</summary>
    public const string AcceptedState = "Accepted";

    public static PaymentDetails Details(PaymentState payment, IReadOnlyList<LedgerTransaction> ledger) => new(
        payment.CorrelationId,
        payment.MerchantId,
        payment.CustomerId,
        payment.CurrentState,
        payment.Currency,
        payment.RequestedAmount,
        payment.AuthorisedAmount,
        payment.CapturedAmount,
        payment.RefundedAmount,
        Utc(payment.CreatedAt),
        Utc(payment.UpdatedAt),
        payment.ExpiresAt is { } expires ? Utc(expires) : null,
        payment.DeclineCode,
        payment.DeclineReason,
        payment.Operations.Where(o => !o.Accepted)
            .Select(o => new PaymentRejectionView(o.Command, o.ReasonCode, o.Reason, o.IdempotencyKey, Utc(o.RecordedAt)))
            .ToList(),
        payment.Operations
            .Select(o => new PaymentOperationView(o.Command, o.IdempotencyKey, o.Amount, o.Accepted, o.ReasonCode, o.Reason, o.ResultAmount, Utc(o.RecordedAt)))
            .ToList(),
        ledger.Select(Transaction).ToList());

    public static PaymentDetails Accepted(IdempotentRequest authorisation) => new(
        authorisation.PaymentId, null, null, AcceptedState, null, 0, 0, 0, 0, Utc(authorisation.CreatedAt), null, null, null, null, [], [], []);

    /// <summary>SQLite hands dates back unspecified; every date we store is UTC.</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static LedgerTransactionView Transaction(LedgerTransaction transaction) => new(
        transaction.TransactionId,
        transaction.Operation.ToString(),
        transaction.IdempotencyKey,
        Utc(transaction.PostedAt),
        transaction.Entries.Select(e => new LedgerEntryView(e.AccountId, e.Currency, e.Debit, e.Credit, e.Status.ToString())).ToList());
}
