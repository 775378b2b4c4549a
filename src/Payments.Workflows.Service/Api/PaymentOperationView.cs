namespace Payments.Workflows.Service.Api;

/// <summary>
/// One entry of the payment's idempotency log: a command and its outcome. <see cref="Sequence"/> is its place in the
/// log (1 for the authorisation), the key of <c>GET /payments/{id}/operations</c>.
/// </summary>
internal sealed record PaymentOperationView(
    int Sequence, string Command, string IdempotencyKey, decimal? Amount, bool Accepted, string? ReasonCode, string? Reason, decimal? ResultAmount,
    DateTime At);
