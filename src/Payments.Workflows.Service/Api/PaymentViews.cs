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

    /// <summary>How many operations (and rejections) <c>GET /payments/{id}</c> shows: the newest ones.</summary>
    public const int RecentOperations = 20;

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
        payment.Operations.Where(o => !o.Accepted).TakeLast(RecentOperations)
            .Select(o => new PaymentRejectionView(o.Command, o.ReasonCode, o.Reason, o.IdempotencyKey, Utc(o.RecordedAt)))
            .ToList(),
        Operations(payment).TakeLast(RecentOperations).ToList(),
        payment.Operations.Count,
        payment.Operations.Count > RecentOperations,
        ledger.Select(Transaction).ToList());

    public static PaymentDetails Accepted(IdempotentRequest authorisation) => new(
        authorisation.PaymentId, null, null, AcceptedState, null, 0, 0, 0, 0, Utc(authorisation.CreatedAt), null, null, null, null, [], [], 0, false, []);

    /// <summary>
    /// Up to <paramref name="limit"/> operations older than <paramref name="startingAfter"/> (a sequence; null for the
    /// newest), newest first. The log lives in the payment's row and is bounded (<see cref="PaymentState.MaxOperations"/>),
    /// so it is sliced here.
    /// </summary>
    public static PaymentOperationPage OperationPage(PaymentState payment, int? startingAfter, int limit)
    {
        var older = Operations(payment).Reverse().Where(o => startingAfter is null || o.Sequence < startingAfter).ToList();
        return new PaymentOperationPage(older.Take(limit).ToList(), older.Count > limit);
    }

    private static IEnumerable<PaymentOperationView> Operations(PaymentState payment) =>
        payment.Operations.Select((o, index) => new PaymentOperationView(index + 1, o.Command, o.IdempotencyKey, Money(payment, o.Amount), o.Accepted,
            o.ReasonCode, o.Reason, Money(payment, o.ResultAmount), Utc(o.RecordedAt)));

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
