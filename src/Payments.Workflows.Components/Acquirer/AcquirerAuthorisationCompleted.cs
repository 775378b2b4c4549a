namespace Payments.Workflows.Components.Acquirer;

/// <summary>The acquirer's answer, published back to the payment saga.</summary>
public sealed record AcquirerAuthorisationCompleted
{
    public required Guid PaymentId { get; init; }

    public required bool Approved { get; init; }

    public string? AcquirerReference { get; init; }

    public string? DeclineCode { get; init; }

    public string? DeclineReason { get; init; }
}
