using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.ApiKeys;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Security;

/// <summary>Creates, lists, revokes and verifies API keys in the payments database.</summary>
internal sealed class ApiKeyStore(PaymentsDbContext db, TimeProvider clock, IHostEnvironment environment)
{
    /// <summary>A new random key; the returned secret is the only time it exists outside the caller's hands.</summary>
    public async Task<(ApiKey Record, string Key)> Create(string role, string? merchantId, CancellationToken cancellationToken)
    {
        var key = ApiKeySecrets.New(live: environment.IsProduction());
        return (await Add(key, role, merchantId, cancellationToken), key);
    }

    /// <summary>Stores a key chosen elsewhere (the documented Development keys).</summary>
    public async Task<ApiKey> Add(string key, string role, string? merchantId, CancellationToken cancellationToken)
    {
        if (!ApiKeyRoles.IsKnown(role))
            throw new ArgumentException($"Role must be {ApiKeyRoles.Merchant} or {ApiKeyRoles.Ops}; got '{role}'.", nameof(role));
        if ((role == ApiKeyRoles.Merchant) == string.IsNullOrWhiteSpace(merchantId))
            throw new ArgumentException("A merchant key names its merchant; an ops key names none.", nameof(merchantId));
        if (!ApiKeySecrets.IsWellFormed(key))
            throw new ArgumentException("The key is not of the form sk_live_… or sk_test_….", nameof(key));

        var record = new ApiKey
        {
            Id = Guid.NewGuid(),
            Prefix = ApiKeySecrets.PrefixOf(key),
            Hash = ApiKeySecrets.Hash(key),
            MerchantId = role == ApiKeyRoles.Merchant ? merchantId : null,
            Role = role,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    public async Task<bool> Exists(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(key);
        return await db.ApiKeys.AsNoTracking().AnyAsync(k => k.Hash == hash, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKey>> List(CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Prefix).ToListAsync(cancellationToken);

    /// <summary>Revokes the key with this prefix (once: a second revoke keeps the first time); null when there is none.</summary>
    public async Task<ApiKey?> Revoke(string prefix, CancellationToken cancellationToken)
    {
        var record = await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (record is null)
            return null;
        record.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>The key's record when the key exists and is not revoked; null otherwise.</summary>
    public async Task<ApiKey?> Verify(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(key);
        var record = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        return record is not null && ApiKeySecrets.SameHash(record.Hash, hash) && record.RevokedAt is null ? record : null;
    }
}
