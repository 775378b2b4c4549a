namespace Payments.Workflows.Contracts;

/// <summary>Decline codes <see cref="PaymentDeclined"/> carries that come from this service rather than the acquirer.</summary>
public static class DeclineCodes
{
    /// <summary>The acquirer did not answer before the authorisation deadline; nothing was held.</summary>
    public const string AcquirerUnavailable = "acquirer-unavailable";
}
