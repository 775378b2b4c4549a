using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Workflows.Service.Security;

/// <summary>
/// The form of a secret key: <c>sk_live_</c> (Production) or <c>sk_test_</c> (elsewhere) and 32 random bytes in
/// base62, so the whole key selects with a double click. Only its SHA-256 hash is stored; its first characters
/// (<see cref="PrefixOf"/>) name it in lists.
/// </summary>
internal static class ApiKeySecrets
{
    public const string LivePrefix = "sk_live_";
    public const string TestPrefix = "sk_test_";

    /// <summary>Random characters kept in the prefix: enough to tell keys apart, far too few to guess the rest.</summary>
    public const int ShownCharacters = 8;

    private const int SecretBytes = 32;

    // 62^43 > 2^256: 43 characters carry the 32 bytes.
    private const int SecretCharacters = 43;
    private const int LongestSecret = 64;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(bool live)
    {
        var random = RandomNumberGenerator.GetBytes(SecretBytes);
        return (live ? LivePrefix : TestPrefix) + Base62(random);
    }

    /// <summary>A known prefix followed by base62 characters: anything else is not worth a database lookup.</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || !(key.StartsWith(LivePrefix, StringComparison.Ordinal) || key.StartsWith(TestPrefix, StringComparison.Ordinal)))
            return false;
        var secret = key.AsSpan(TestPrefix.Length);
        if (secret.Length < 32 || secret.Length > LongestSecret)
            return false;
        foreach (var c in secret)
        {
            if (!char.IsAsciiLetterOrDigit(c))
                return false;
        }

        return true;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares two hashes in time that does not depend on where they differ.</summary>
    public static bool SameHash(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(left), Encoding.ASCII.GetBytes(right));

    public static string PrefixOf(string key) => key[..(TestPrefix.Length + ShownCharacters)];

    private static string Base62(byte[] bytes)
    {
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var text = new StringBuilder(SecretCharacters);
        while (value > 0)
        {
            value = BigInteger.DivRem(value, Alphabet.Length, out var digit);
            text.Insert(0, Alphabet[(int)digit]);
        }

        return text.ToString().PadLeft(SecretCharacters, Alphabet[0]);
    }
}
