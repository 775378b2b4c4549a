using System.Buffers.Binary;
using System.Buffers.Text;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Where a page of <c>GET /payments</c> ended: the last payment's creation time and id, the list's sort key. Handed to
/// clients as an opaque base64url token (<c>startingAfter</c>), so the next page is a keyset seek, never an offset.
/// </summary>
internal readonly record struct PaymentCursor(DateTime CreatedAt, Guid PaymentId)
{
    private const int Length = sizeof(long) + 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.Ticks);
        PaymentId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a token made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string token, out PaymentCursor cursor)
    {
        cursor = default;
        Span<byte> bytes = stackalloc byte[Length + 2];
        if (token.Length > 64 || !Base64Url.TryDecodeFromChars(token, bytes, out var written) || written != Length)
            return false;
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return false;
        cursor = new PaymentCursor(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes[sizeof(long)..Length], bigEndian: true));
        return true;
    }
}
