namespace Payments.Workflows.Components.ApiKeys;

/// <summary>
/// A secret API key as stored: never the key itself, only its SHA-256 hash and the prefix a person recognises it by.
/// Bound to one merchant (role <c>merchant</c>) or to no merchant (role <c>ops</c>).
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; init; }

    /// <summary>The key's first characters, e.g. <c>sk_test_ab12cd34</c>: shown in lists and used to revoke it.</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the whole key, lower-case hex; what a request's key is looked up by.</summary>
    public required string Hash { get; init; }

    /// <summary>The merchant whose payments the key sees; null for the ops role.</summary>
    public string? MerchantId { get; init; }

    /// <summary><c>merchant</c> or <c>ops</c>.</summary>
    public required string Role { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When the key stopped working; null while it works.</summary>
    public DateTime? RevokedAt { get; set; }
}
