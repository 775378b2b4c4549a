namespace Payments.Workflows.Components.Configuration;

/// <summary>What readiness (<c>/health/ready</c>) calls unhealthy or degraded (Payments:Health).</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// An outbox row that should have been sent longer ago than this makes readiness Degraded: the broker refuses
    /// it, or delivery has stopped. Longer than the delivery service's normal backoff after a short broker blip.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the database check waits for an answer before it calls the database unreachable.</summary>
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> a client is given when the database cannot take its command (503).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
