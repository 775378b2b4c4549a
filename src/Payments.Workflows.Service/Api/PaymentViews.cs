using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Money;
using Payments.Workflows.Components.Validation;

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
        Money(payment, payment.RequestedAmount),
        Money(payment, payment.AuthorisedAmount),
        Money(payment, payment.CapturedAmount),
        Money(payment, payment.RefundedAmount),
        Utc(payment.CreatedAt),
        Utc(payment.UpdatedAt),
        payment.ExpiresAt is { } expires ? Utc(expires) : null,
        payment.DeclineCode,
        payment.DeclineReason,
        payment.Operations.Where(o => !o.Accepted)
            .Select(o => new PaymentRejectionView(o.Command, o.ReasonCode, o.Reason, o.IdempotencyKey, Utc(o.RecordedAt)))
            .ToList(),
        payment.Operations
            .Select(o => new PaymentOperationView(o.Command, o.IdempotencyKey, Money(payment, o.Amount), o.Accepted, o.ReasonCode, o.Reason,
                Money(payment, o.ResultAmount), Utc(o.RecordedAt)))
            .ToList(),
        ledger.Select(Transaction).ToList());

    public static PaymentDetails Accepted(IdempotentRequest authorisation) => new(
        authorisation.PaymentId, null, null, AcceptedState, null, 0, 0, 0, 0, Utc(authorisation.CreatedAt), null, null, null, null, [], [], []);

    /// <summary>SQLite hands dates back unspecified; every date we store is UTC.</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>An amount with the payment currency's exponent (10.00 EUR, 1500 JPY), as stored amounts may have another scale.</summary>
    private static decimal Money(PaymentState payment, decimal amount) =>
        Currencies.IsKnown(payment.Currency) ? CommandValidation.Normalise(amount, payment.Currency) : amount;

    private static decimal? Money(PaymentState payment, decimal? amount) => amount is { } value ? Money(payment, value) : null;

    private static LedgerTransactionView Transaction(LedgerTransaction transaction) => new(
        transaction.TransactionId,
        transaction.Operation.ToString(),
        transaction.IdempotencyKey,
        Utc(transaction.PostedAt),
        transaction.Entries.Select(e => new LedgerEntryView(e.AccountId, e.Currency, e.Debit, e.Credit, e.Status.ToString())).ToList());
}
