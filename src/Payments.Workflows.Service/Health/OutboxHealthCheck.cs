using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Service.Health;

/// <summary>
/// Degraded while accepted work is not leaving: quarantined outbox rows (waiting for an operator), or rows that
/// should have been sent longer than Payments:Health:StuckAfter ago. A row is overdue from its scheduled time (or,
/// unscheduled, from when it was written); a row whose sends keep failing has its due time pushed back each attempt,
/// so its age is measured from when it should first have gone, not from its next attempt.
/// </summary>
internal sealed class OutboxHealthCheck(PaymentsDbContext db, TimeProvider clock, IOptions<PaymentsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stuckAfter = options.Value.Health.StuckAfter;
        var cutoff = clock.GetUtcNow().UtcDateTime - stuckAfter;
        var rows = db.Set<OutboxMessage>().AsNoTracking();

        var quarantined = await rows.CountAsync(m => m.QuarantinedAt != null, cancellationToken);
        var overdue = await rows.CountAsync(m => m.QuarantinedAt == null
            && (m.DueAt <= cutoff || (m.DeliveryAttempts > 0 && (m.ScheduledTime ?? m.SentTime) <= cutoff)), cancellationToken);

        var data = new Dictionary<string, object> { ["quarantined"] = quarantined, ["overdue"] = overdue };
        if (quarantined == 0 && overdue == 0)
            return HealthCheckResult.Healthy("The outbox is flowing.", data);

        var problems = new List<string>();
        if (quarantined > 0)
            problems.Add($"{quarantined} quarantined row(s) wait for an operator");
        if (overdue > 0)
            problems.Add($"{overdue} row(s) should have been sent more than {stuckAfter} ago");
        return HealthCheckResult.Degraded(string.Join("; ", problems) + ".", data: data);
    }
}
