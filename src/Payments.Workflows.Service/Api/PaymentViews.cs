using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Service.Api;

/// <summary>The API's views of saga state, ledger postings and accepted requests.</summary>
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
