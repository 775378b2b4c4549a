using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Workflows.Service.Api;

namespace Payments.Workflows.Service.Health;

internal static class HealthChecksRegistration
{
    /// <summary>The tag MassTransit gives its own checks.</summary>
    private const string MassTransitTag = "masstransit";

    /// <summary>Readiness: the database (Unhealthy when away), the outbox and the bus (Degraded when stuck or away).</summary>
    public static IServiceCollection AddPaymentsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("payments-db", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [HealthEndpoints.ReadyTag]);

        // MassTransit adds its bus check through its own options setup; this runs after it.
        services.PostConfigure<HealthCheckServiceOptions>(o =>
        {
            foreach (var bus in o.Registrations.Where(r => r.Tags.Contains(MassTransitTag)).ToList())
            {
                o.Registrations.Remove(bus);
                o.Registrations.Add(new HealthCheckRegistration(bus.Name, sp => new BrokerHealthCheck(bus.Factory(sp)), HealthStatus.Degraded, bus.Tags, bus.Timeout));
            }
        });
        return services;
    }
}
