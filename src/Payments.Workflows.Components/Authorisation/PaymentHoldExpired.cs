namespace Payments.Workflows.Components.Authorisation;

/// <summary>Scheduled by the saga when a hold is placed; delivered when the hold lapses.</summary>
public sealed record PaymentHoldExpired
{
    public required Guid PaymentId { get; init; }
}
