using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Components.Idempotency;

/// <summary>
/// Deletes idempotency records older than <see cref="IdempotencyRetentionOptions.IdempotencyRetention"/>, every
/// scope alike (authorisation keys, command keys and payment-id claims), in bounded batches: one short statement
/// each, so the table stops growing without a long transaction or lock.
/// </summary>
internal sealed class IdempotentRequestCleanupService(
    IServiceScopeFactory scopeFactory,
    IDatabaseMigrationState migrations,
    IOptions<IdempotencyRetentionOptions> options,
    TimeProvider clock,
    ILogger<IdempotentRequestCleanupService> logger) : BackgroundService
{
    /// <summary>Rows per DELETE.</summary>
    public const int BatchSize = 1000;

    /// <summary>Time between passes: retention is counted in days, so a quarter of an hour late is nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>A first pass waits this long for the migrations (a fresh database has no table yet).</summary>
    private static readonly TimeSpan MigrationWait = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Interval;
            try
            {
                if (migrations.IsDone)
                    await RunOnce(stoppingToken);
                else
                    wait = MigrationWait;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The next pass tries again; the rows only wait a little longer.
                logger.LogWarning(exception, "Idempotency record cleanup failed; trying again in {Interval}", Interval);
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: deletes every record older than the retention, a batch at a time; returns how many.</summary>
    internal async Task<int> RunOnce(CancellationToken cancellationToken)
    {
        var retention = options.Value.IdempotencyRetention;
        var cutoff = clock.GetUtcNow().UtcDateTime - retention;
        var deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            var batch = await db.IdempotentRequests
                .Where(r => r.CreatedAt < cutoff)
                .OrderBy(r => r.CreatedAt)
                .Take(BatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            deleted += batch;
            if (batch < BatchSize)
                break;
        }

        if (deleted > 0)
            logger.LogInformation("Deleted {Count} idempotency records older than {Retention}", deleted, retention);
        return deleted;
    }
}
