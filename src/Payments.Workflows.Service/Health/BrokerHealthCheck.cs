using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Workflows.Service.Health;

/// <summary>
/// MassTransit's bus check with Unhealthy turned into Degraded: without the broker the API still accepts commands
/// into the outbox, which delivers them when the broker returns, so a load balancer should keep sending traffic.
/// The bus's own description is replaced: it can carry the broker's address and the connection error.
/// </summary>
internal sealed class BrokerHealthCheck(IHealthCheck bus) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await bus.CheckHealthAsync(context, cancellationToken);
        return result.Status switch
        {
            HealthStatus.Healthy => HealthCheckResult.Healthy("The bus is connected."),
            _ => HealthCheckResult.Degraded("The bus is not connected to the broker; commands are kept in the outbox until it is."),
        };
    }
}
