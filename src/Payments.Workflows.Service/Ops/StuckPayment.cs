namespace Payments.Workflows.Service.Ops;

/// <summary>A payment the service itself should have moved on and has not: what it waits for, and since when.</summary>
internal sealed record StuckPayment(Guid PaymentId, string MerchantId, string State, DateTime Since, double WaitingSeconds, string WaitingFor);
