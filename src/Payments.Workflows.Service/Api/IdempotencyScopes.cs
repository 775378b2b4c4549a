namespace Payments.Workflows.Service.Api;

/// <summary>
/// What an Idempotency-Key is unique within. Authorisation keys are global (they create the payment); the others
/// are per payment, so "capture-1" may be used on every payment.
/// </summary>
internal static class IdempotencyScopes
{
    public const string Authorise = "authorise";
    public const string Capture = "capture";
    public const string Void = "void";
    public const string Refund = "refund";

    public static string For(string command, Guid paymentId) => $"{command}:{paymentId:D}";
}
