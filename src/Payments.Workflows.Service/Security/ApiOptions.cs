namespace Payments.Workflows.Service.Security;

/// <summary>The HTTP API's own settings (Payments:Api; environment Payments__Api__*).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Payments:Api";

    /// <summary>Serve <c>/openapi/v1.json</c> in Production too; it is always served in other environments.</summary>
    public bool OpenApi { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();
}
