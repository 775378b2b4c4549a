namespace Payments.Workflows.Components.Authorisation;

/// <summary>One command's outcome, kept so a repeat of its idempotency key gets the same outcome back.</summary>
public sealed class PaymentOperation
{
    public required string IdempotencyKey { get; set; }

    /// <summary>Authorise, Capture, Void or Refund.</summary>
    public required string Command { get; set; }

    public decimal? Amount { get; set; }

    public bool Accepted { get; set; }

    public string? ReasonCode { get; set; }

    public string? Reason { get; set; }

    /// <summary>For an accepted capture or refund: the total captured or refunded after it; for a void: the amount released.</summary>
    public decimal? ResultAmount { get; set; }

    public DateTime RecordedAt { get; set; }
}
