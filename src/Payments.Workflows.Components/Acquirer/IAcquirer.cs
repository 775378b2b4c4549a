namespace Payments.Workflows.Components.Acquirer;

/// <summary>The upstream card acquirer. Implementations throw <see cref="AcquirerTransientException"/> for faults worth retrying.</summary>
public interface IAcquirer
{
    /// <summary>Authorises; <paramref name="request"/>'s PaymentId is the acquirer-side idempotency key, so a retried call is safe.</summary>
    Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, CancellationToken cancellationToken);
}

public sealed record AcquirerDecision(bool Approved, string? Reference, string? DeclineCode, string? DeclineReason)
{
    public static AcquirerDecision Approve(string reference) => new(true, reference, null, null);

    public static AcquirerDecision Decline(string code, string reason) => new(false, null, code, reason);
}

public sealed class AcquirerTransientException(string message) : Exception(message);
