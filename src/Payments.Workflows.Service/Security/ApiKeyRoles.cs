namespace Payments.Workflows.Service.Security;

/// <summary>What a key may do; each role is also the name of the authorisation policy that requires it.</summary>
internal static class ApiKeyRoles
{
    /// <summary>Acts on one merchant's payments and reads its accounts.</summary>
    public const string Merchant = "merchant";

    /// <summary>Reads every payment and account and owns the operations surface; creates no payments.</summary>
    public const string Ops = "ops";

    public static bool IsKnown(string? role) => role is Merchant or Ops;
}
