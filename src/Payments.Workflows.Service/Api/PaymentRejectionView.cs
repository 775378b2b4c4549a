namespace Payments.Workflows.Service.Api;

/// <summary>A command the saga refused, with its reason.</summary>
internal sealed record PaymentRejectionView(string Command, string? ReasonCode, string? Reason, string IdempotencyKey, DateTime At);
