namespace Payments.Workflows.Components.Acquirer;

/// <summary>The upstream card acquirer. Implementations throw <see cref="AcquirerTransientException"/> for faults worth retrying.</summary>
internal interface IAcquirer
{
    /// <summary>
    /// Authorises. The contract every implementation honours: <paramref name="request"/>'s PaymentId is the
    /// acquirer-side idempotency key, so a repeated call for one payment (a redelivery, a retry after a timeout)
    /// gets the first call's answer and never authorises twice. <paramref name="cardToken"/> comes from the payment's
    /// row, never from a message; implementations do not log it.
    /// </summary>
    Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken);
}
