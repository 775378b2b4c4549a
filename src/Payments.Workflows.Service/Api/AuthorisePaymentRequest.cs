namespace Payments.Workflows.Service.Api;

/// <summary>The body of an authorisation. Every field is nullable so a missing one is reported by name, not defaulted.</summary>
internal sealed record AuthorisePaymentRequest(
    Guid? PaymentId, string? MerchantId, string? CustomerId, decimal? Amount, string? Currency, string? CardToken);
