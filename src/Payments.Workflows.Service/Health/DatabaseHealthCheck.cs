using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Health;

/// <summary>
/// Unhealthy until migrations are applied, then whenever a round trip to the database fails or takes longer than
/// Payments:Health:DatabaseTimeout. Nothing is cached: every probe asks the database, so readiness follows an outage
/// and a recovery within one probe interval.
/// </summary>
internal sealed class DatabaseHealthCheck(PaymentsDbContext db, IDatabaseMigrationState migrator, IOptions<PaymentsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!migrator.IsDone)
            return HealthCheckResult.Unhealthy("The database has not been reachable since start-up: migrations are not applied yet.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Health.DatabaseTimeout);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {options.Value.Health.DatabaseTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The exception's text can carry host names and user names: the report names only its kind.
            return HealthCheckResult.Unhealthy($"The database is unreachable ({exception.GetType().Name}).");
        }
    }
}
