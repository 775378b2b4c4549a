using System.Security.Claims;

namespace Payments.Workflows.Service.Security;

/// <summary>Who is calling, from the verified key: its id, its role and, for a merchant key, its merchant.</summary>
internal sealed record Caller(string KeyId, string Role, string? MerchantId)
{
    public const string MerchantClaim = "merchant_id";

    public bool IsOps => Role == ApiKeyRoles.Ops;

    /// <summary>Ops sees every merchant's data; a merchant key its own merchant's only.</summary>
    public bool Sees(string? merchantId) => IsOps || (MerchantId is not null && string.Equals(merchantId, MerchantId, StringComparison.Ordinal));

    /// <summary>The caller of an authenticated request (every route but health requires one).</summary>
    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request is not authenticated."),
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(MerchantClaim));
}
