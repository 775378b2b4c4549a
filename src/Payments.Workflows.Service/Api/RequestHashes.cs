using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Payments.Workflows.Components.Identifiers;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// SHA-256 of a request's canonical form: the parsed values in a fixed order, not the raw bytes, so white space,
/// property order and 100 versus 100.00 do not make the same request look different.
/// </summary>
internal static class RequestHashes
{
    public static string Of(string command, params string?[] values)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes<string?[]>([command, .. values]);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>An amount without trailing zeros: 100.00 and 100 are one amount.</summary>
    public static string Amount(decimal amount) => amount.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>
    /// The payment id the service gives an authorisation that did not bring one: derived from its merchant and key, so
    /// two racing requests with one key name the same payment and the saga sees one payment, never two, while two
    /// merchants using one key get two payments.
    /// </summary>
    public static Guid PaymentIdFor(string merchantId, string authoriseKey)
        => NameBasedGuid.From($"{IdempotencyScopes.Authorise}\n{merchantId}\n{authoriseKey}");
}
