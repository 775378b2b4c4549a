namespace Payments.Workflows.Components.Configuration;

/// <summary>The simulated acquirer and the resilience pipeline around calls to it (Payments:Acquirer).</summary>
public sealed class AcquirerOptions
{
    /// <summary>Added to every simulated call.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Share of simulated calls that fail transiently, 0 to 1.</summary>
    public double TransientFaultRate { get; set; }

    /// <summary>Time allowed for one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt, for transient faults and timeouts.</summary>
    public int RetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Messages the acquirer endpoint works on at once; a slow acquirer backs up only this queue.</summary>
    public int ConcurrentMessageLimit { get; set; } = 32;
}
