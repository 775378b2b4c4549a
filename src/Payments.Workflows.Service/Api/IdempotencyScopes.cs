using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// What an Idempotency-Key is unique within: a <see cref="PaymentCommands"/> name in lower case. Authorisation keys
/// are per merchant (two merchants may both use "order-1001"); the others are per payment, so "capture-1" may be used
/// on every payment. Scopes are stored with their keys and hashed into requests: they never change.
/// </summary>
internal static class IdempotencyScopes
{
    /// <summary>The authorisation command's name, "authorise", as hashed into its requests.</summary>
    public static readonly string Authorise = Of(PaymentCommands.Authorise);

    /// <summary>What every authorisation scope starts with.</summary>
    public static readonly string AuthorisePrefix = $"{Authorise}:";

    /// <summary>The scope of a merchant's authorisation keys, "authorise:{merchantId}".</summary>
    public static string AuthoriseFor(string merchantId) => $"{AuthorisePrefix}{merchantId}";

    /// <summary>
    /// Not a key's scope: the claim of a payment id by its first authorisation, keyed by the id itself ("D" format), so
    /// the table's primary key lets one of two racing authorisations of one id commit.
    /// </summary>
    public const string PaymentIdClaim = "payment-id";

    /// <summary>The command's scope, e.g. "capture", also the command's name in a request hash.</summary>
    public static string Of(string command) => command.ToLowerInvariant();

    /// <summary>The scope of a per-payment command's keys, e.g. "capture:{paymentId}".</summary>
    public static string For(string command, Guid paymentId) => $"{Of(command)}:{paymentId:D}";
}
