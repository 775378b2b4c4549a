using System.Security.Cryptography;
using System.Text;

namespace Payments.Workflows.Components.Ledger;

public static class LedgerTransactionIds
{
    /// <summary>
    /// A name-based id (RFC 9562 version 8 layout over SHA-256): the same payment, operation and idempotency
    /// key always give the same id, so a replayed posting collides with the first on the primary key.
    /// </summary>
    public static Guid For(Guid paymentId, LedgerOperation operation, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"payments-ledger/v1|{paymentId:N}|{operation}|{idempotencyKey}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
