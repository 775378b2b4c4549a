namespace Payments.Workflows.Service.Api;

/// <summary>A payment in a list: its amounts and state, without outcomes or postings.</summary>
internal sealed record PaymentSummary(
    Guid PaymentId,
    string MerchantId,
    string CustomerId,
    string State,
    string Currency,
    decimal RequestedAmount,
    decimal AuthorisedAmount,
    decimal CapturedAmount,
    decimal RefundedAmount,
    DateTime CreatedAt,
    DateTime UpdatedAt);
