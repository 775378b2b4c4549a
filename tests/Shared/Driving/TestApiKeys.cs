using System.Collections.Concurrent;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Testing.Driving;

/// <summary>
/// API keys for a test host, created in its own database through the service's key store (as <c>api-keys create</c>
/// does): one per merchant and one ops key, each made once and reused.
/// </summary>
public sealed class TestApiKeys(IServiceProvider services)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _keys = new();

    /// <summary>A working key of merchant <paramref name="merchantId"/>.</summary>
    public Task<string> Merchant(string merchantId) => Key(ApiKeyRoles.Merchant, merchantId);

    /// <summary>A working ops key.</summary>
    public Task<string> Ops() => Key(ApiKeyRoles.Ops, null);

    /// <summary>A new key of <paramref name="merchantId"/> that is revoked at once.</summary>
    public async Task<string> Revoked(string merchantId)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
        var (record, key) = await store.Create(ApiKeyRoles.Merchant, merchantId, CancellationToken.None);
        await store.Revoke(record.Prefix, CancellationToken.None);
        return key;
    }

    /// <summary>The merchant of a payment the saga recorded or the API accepted; null when there is none.</summary>
    public async Task<string?> OwnerOf(Guid paymentId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Payments.Workflows.Components.Persistence.PaymentsDbContext>();
        return await db.Payments.AsNoTracking().Where(p => p.CorrelationId == paymentId).Select(p => p.MerchantId).FirstOrDefaultAsync()
            ?? await db.IdempotentRequests.AsNoTracking().Where(r => r.PaymentId == paymentId && r.MerchantId != null)
                .Select(r => r.MerchantId).FirstOrDefaultAsync();
    }

    private Task<string> Key(string role, string? merchantId) =>
        _keys.GetOrAdd($"{role}:{merchantId}", _ => new Lazy<Task<string>>(async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var (_, key) = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().Create(role, merchantId, CancellationToken.None);
            return key;
        })).Value;
}
