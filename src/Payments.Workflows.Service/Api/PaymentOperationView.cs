namespace Payments.Workflows.Service.Api;

/// <summary>One entry of the payment's idempotency log: a command and its outcome.</summary>
internal sealed record PaymentOperationView(
    string Command, string IdempotencyKey, decimal? Amount, bool Accepted, string? ReasonCode, string? Reason, decimal? ResultAmount, DateTime At);
