using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>The acquirer is unavailable, rather than refusing this payment: the request waits, as for a database outage.</summary>
internal static class AcquirerFaults
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // Failed after Polly's own retries, timed out, or refused at once while the circuit is open.
            if (current is AcquirerTransientException or BrokenCircuitException or TimeoutRejectedException)
                return true;
        }

        return false;
    }
}
