using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Persistence;

/// <summary>Applies pending migrations before the bus starts, when Payments:ApplyMigrations is on.</summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IOptions<PaymentsOptions> options, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await Migrate(scope.ServiceProvider.GetRequiredService<PaymentsDbContext>(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task Migrate(PaymentsDbContext db, CancellationToken cancellationToken)
    {
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
