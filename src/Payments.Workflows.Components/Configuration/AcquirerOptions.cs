namespace Payments.Workflows.Components.Configuration;

/// <summary>The simulated acquirer and the resilience pipeline around calls to it (Payments:Acquirer).</summary>
public sealed class AcquirerOptions
{
    /// <summary>
    /// The simulated acquirer is meant: without it, the Production environment refuses to start on the simulated
    /// acquirer (it approves any card without a card network).
    /// </summary>
    public bool Simulated { get; set; }

    /// <summary>Added to every simulated call.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Share of simulated calls that fail transiently, 0 to 1.</summary>
    public double TransientFaultRate { get; set; }

    /// <summary>Time allowed for one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, for transient faults and timeouts.</summary>
    public int RetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Share of failed attempts within <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit, 0 to 1: high, so
    /// an acquirer that is down opens it, and one that only fails often (and is retried) does not starve every payment.
    /// </summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.9;

    /// <summary>Attempts the sampling window must hold before the circuit may open, at least 2.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window over which the failure ratio is measured, 0.5 s to 1 day.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit fails calls at once before letting one through, 0.5 s to 1 day.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages the acquirer endpoint works on at once; a slow acquirer backs up only this queue.</summary>
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>
    /// How long a payment may wait for the acquirer's answer; past it the payment ends Declined with
    /// <c>acquirer-unavailable</c>, and an approval arriving later is not applied.
    /// </summary>
    public TimeSpan AuthorisationDeadline { get; set; } = TimeSpan.FromMinutes(2);
}
