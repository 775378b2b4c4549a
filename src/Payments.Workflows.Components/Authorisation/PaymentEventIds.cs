using Payments.Workflows.Components.Identifiers;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// The MessageId of each event the saga publishes, derived from the payment, the outcome and the idempotency key.
/// A repeated command (same key, new MessageId) republishes its first outcome under the first MessageId, so a
/// subscriber that deduplicates on MessageId, as this service's own inbox does, acts on it once.
/// </summary>
internal static class PaymentEventIds
{
    public static Guid For(object message) => NameBasedGuid.From(message switch
    {
        PaymentAuthorised m => Name(m.PaymentId, "authorised", m.IdempotencyKey),
        PaymentDeclined m => Name(m.PaymentId, "declined", m.IdempotencyKey),
        PaymentCaptured m => Name(m.PaymentId, "captured", m.IdempotencyKey),
        PaymentVoided m => Name(m.PaymentId, "voided", m.IdempotencyKey),
        PaymentRefunded m => Name(m.PaymentId, "refunded", m.IdempotencyKey),
        PaymentAuthorisationExpired m => Name(m.PaymentId, "expired", ""),
        PaymentCommandRejected m => Name(m.PaymentId, $"rejected:{m.Command}:{m.ReasonCode}", m.IdempotencyKey),
        _ => throw new ArgumentException($"{message.GetType().Name} is not an event of the payment saga.", nameof(message)),
    });

    private static string Name(Guid paymentId, string outcome, string idempotencyKey) => $"payment-event:{paymentId:N}:{outcome}:{idempotencyKey}";
}
