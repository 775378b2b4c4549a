using System.Security.Cryptography;
using System.Text;

namespace Payments.Workflows.Components.RawCommands;

public static class RawMessageIds
{
    /// <summary>
    /// The MessageId of a raw command published without a GUID <c>message_id</c>: a name-based id (RFC 9562
    /// version 8 layout over SHA-256) of the command, payment and idempotency key, so the same command published
    /// twice has one id and the inbox applies it once.
    /// </summary>
    public static Guid For(string routingKey, Guid paymentId, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"payments-raw-command/v1|{routingKey}|{paymentId:N}|{idempotencyKey}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
