namespace Payments.Workflows.Contracts;

/// <summary>A command that arrived in the wrong state or broke a rule; state did not change.</summary>
public sealed record PaymentCommandRejected
{
    public required Guid PaymentId { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>The rejected command's name: Authorise, Capture, Void or Refund.</summary>
    public required string Command { get; init; }

    /// <summary>Stable machine-readable code; see <see cref="RejectionReasons"/>.</summary>
    public required string ReasonCode { get; init; }

    public required string Reason { get; init; }
}
