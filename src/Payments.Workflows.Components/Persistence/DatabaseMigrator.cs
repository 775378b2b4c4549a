using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Components.Persistence;

/// <summary>
/// Prepares the database (WAL on SQLite) and applies pending migrations when Payments:ApplyMigrations is on. The
/// first attempt runs before the bus starts; if the database is unreachable then, start-up goes on (so the host
/// serves <c>/health/live</c> instead of crash-looping) and attempts continue in the background with backoff until
/// they succeed. Readiness asks <see cref="IsDone"/>. A permanent failure (a broken migration) still stops the host.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IOptions<PaymentsOptions> options, ILogger<DatabaseMigrator> logger) : IHostedService, IDatabaseMigrationState
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(5);

    // Not disposed: it has no timer, and the host may call StopAsync more than once.
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retrying;
    private volatile bool _done;

    /// <inheritdoc/>
    public bool IsDone => _done;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Migrate(cancellationToken).ConfigureAwait(false);
            _done = true;
        }
        catch (Exception exception) when (TransientFaults.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Once, not per attempt: the outage is one event. The exception type, not its text (connection details).
            logger.LogWarning("The database is unreachable at start-up ({Fault}); migrations will be retried in the background and readiness stays unhealthy until they are applied",
                TransientFaults.Classify(exception));
            _retrying = RetryUntilMigrated(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retrying is not null)
            await _retrying.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RetryUntilMigrated(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        var attempts = 1;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff, stopping).ConfigureAwait(false);
                attempts++;
                await Migrate(stopping).ConfigureAwait(false);
                _done = true;
                logger.LogInformation("The database is reachable; migrations applied after {Attempts} attempts", attempts);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFaults.IsTransient(exception))
            {
                backoff = backoff * 2 < LongestBackoff ? backoff * 2 : LongestBackoff;
            }
            catch (Exception exception)
            {
                // Not an outage: the migration itself is wrong. Stopping beats serving on a half-built schema.
                logger.LogCritical(exception, "Applying migrations failed with a permanent error; stopping");
                services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                return;
            }
        }
    }

    private async Task Migrate(CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            if (db.Database.IsSqlite())
            {
                // WAL lets readers (the HTTP API) run while a message handler writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            }

            if (!options.Value.ApplyMigrations)
                return;
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count == 0)
                return;
            logger.LogInformation("Applying {Count} migration(s) to {Provider}: {Migrations}", pending.Count, db.Database.ProviderName, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
