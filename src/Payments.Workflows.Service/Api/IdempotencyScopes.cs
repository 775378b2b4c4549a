using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// What an Idempotency-Key is unique within: a <see cref="PaymentCommands"/> name in lower case. Authorisation keys
/// are global (they create the payment); the others are per payment, so "capture-1" may be used on every payment.
/// Scopes are stored with their keys and hashed into requests: they never change.
/// </summary>
internal static class IdempotencyScopes
{
    /// <summary>The scope of authorisation keys, "authorise".</summary>
    public static readonly string Authorise = Of(PaymentCommands.Authorise);

    /// <summary>The command's scope, e.g. "capture", also the command's name in a request hash.</summary>
    public static string Of(string command) => command.ToLowerInvariant();

    /// <summary>The scope of a per-payment command's keys, e.g. "capture:{paymentId}".</summary>
    public static string For(string command, Guid paymentId) => $"{Of(command)}:{paymentId:D}";
}
