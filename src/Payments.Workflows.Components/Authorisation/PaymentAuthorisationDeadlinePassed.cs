namespace Payments.Workflows.Components.Authorisation;

/// <summary>Scheduled by the saga when it asks the acquirer; delivered if the acquirer has not answered in time.</summary>
public sealed record PaymentAuthorisationDeadlinePassed
{
    public required Guid PaymentId { get; init; }
}
