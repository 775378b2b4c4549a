namespace Payments.Workflows.Service.Api;

// Request bodies. Every field is nullable so a missing one is reported by name, not defaulted to zero.

internal sealed record AuthorisePaymentRequest(
    Guid? PaymentId, string? MerchantId, string? CustomerId, decimal? Amount, string? Currency, string? CardToken);

/// <summary>The body of a capture or a refund.</summary>
internal sealed record AmountRequest(decimal? Amount);

/// <summary>A void carries nothing but its key; any JSON object, or no body, will do.</summary>
internal sealed record VoidRequest;
