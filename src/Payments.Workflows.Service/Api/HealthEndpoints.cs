using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Workflows.Service.Api;

internal static class HealthEndpoints
{
    /// <summary>The tag MassTransit gives its bus check; ours use it too.</summary>
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. No checks, so a slow database never gets a live process restarted.
        // Both open to anyone and never rate limited: load balancers and orchestrators hold no key.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReport })
            .AllowAnonymous().DisableRateLimiting();
        // Ready: Degraded (broker away, outbox stuck) still takes traffic, as the API keeps accepting into the
        // outbox; Unhealthy (database away) does not.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    // Status and description per check; exception text is left out, it can carry connection details (a check that
    // threw gets its exception's message as description, so that one is replaced).
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Exception is null ? e.Value.Description : "The check failed." }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
