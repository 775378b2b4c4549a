using Payments.Workflows.Components.Identifiers;

namespace Payments.Workflows.Components.Ledger;

internal static class LedgerTransactionIds
{
    /// <summary>
    /// A name-based id (RFC 9562 version 8 layout over SHA-256): the same payment, operation and idempotency
    /// key always give the same id, so a replayed posting collides with the first on the primary key.
    /// </summary>
    public static Guid For(Guid paymentId, LedgerOperation operation, string idempotencyKey)
        => NameBasedGuid.From($"payments-ledger/v1|{paymentId:N}|{operation}|{idempotencyKey}");
}
