using System.Security.Cryptography;
using System.Text;

namespace Payments.Workflows.Components.Identifiers;

/// <summary>
/// Name-based ids (RFC 9562 version 8 layout over SHA-256): the same name always gives the same id. Ledger
/// transaction ids, raw-command message ids and key-derived payment ids all rest on it, so a replay collides
/// with the original instead of creating a second one.
/// </summary>
public static class NameBasedGuid
{
    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: custom
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
