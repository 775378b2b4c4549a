namespace Payments.Workflows.Components.Acquirer;

/// <summary>The upstream card acquirer. Implementations throw <see cref="AcquirerTransientException"/> for faults worth retrying.</summary>
internal interface IAcquirer
{
    /// <summary>Authorises; <paramref name="request"/>'s PaymentId is the acquirer-side idempotency key, so a retried call is safe.</summary>
    Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, CancellationToken cancellationToken);
}
