namespace Payments.Workflows.Service.Security;

/// <summary>Requests per API key (Payments:Api:RateLimit).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a key may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests a key may make at once after a quiet spell (the bucket's size).</summary>
    public int Burst { get; set; } = 2000;
}
