using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Security;

/// <summary>
/// Fixed, published keys for the README's walk-through, stored in the Development environment only (never
/// elsewhere: anyone can read them here). Seeded once the database is migrated; a revoked one stays revoked.
/// </summary>
internal sealed class DevelopmentApiKeys(IServiceProvider services, IDatabaseMigrationState migrations, IHostEnvironment environment,
    ILogger<DevelopmentApiKeys> logger) : BackgroundService
{
    /// <summary>Merchant m-1's key in Development.</summary>
    public const string MerchantOne = "sk_test_m1DevelopmentOnlyNeverUseOutsideDevelopment";

    /// <summary>Merchant m-2's key in Development.</summary>
    public const string MerchantTwo = "sk_test_m2DevelopmentOnlyNeverUseOutsideDevelopment";

    /// <summary>The ops key in Development.</summary>
    public const string Ops = "sk_test_opsDevelopmentOnlyNeverUseOutsideDevelopment";

    private static readonly (string Key, string Role, string? MerchantId)[] Keys =
    [
        (MerchantOne, ApiKeyRoles.Merchant, "m-1"),
        (MerchantTwo, ApiKeyRoles.Merchant, "m-2"),
        (Ops, ApiKeyRoles.Ops, null),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!environment.IsDevelopment())
            return;

        // Migrations may still be retried in the background when the database was away at start-up.
        while (!migrations.IsDone)
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);

        foreach (var (key, role, merchantId) in Keys)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
                if (await store.Exists(key, stoppingToken))
                    continue;
                await store.Add(key, role, merchantId, stoppingToken);
                logger.LogInformation("Development: seeded the documented {Role} key {Prefix} (see docs/security.md)", role, ApiKeySecrets.PrefixOf(key));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Another instance seeded it first, or the database went away: the walk-through's keys are a convenience,
                // not worth stopping the host for.
                logger.LogWarning("Development: the documented {Role} key {Prefix} was not seeded ({Exception})", role, ApiKeySecrets.PrefixOf(key), exception.GetType().Name);
            }
        }
    }
}
