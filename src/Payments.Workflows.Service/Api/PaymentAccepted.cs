namespace Payments.Workflows.Service.Api;

/// <summary>The answer to an accepted command: where to follow the payment.</summary>
internal sealed record PaymentAccepted(Guid PaymentId);
