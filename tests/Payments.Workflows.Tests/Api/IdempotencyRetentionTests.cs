using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Idempotency;

namespace Payments.Workflows.Tests.Api;

/// <summary>Security review §3, acceptance test 24: idempotency records are kept for Payments__Api__IdempotencyRetention, then deleted.</summary>
public sealed class IdempotencyRetentionTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    [Fact]
    public async Task Records_older_than_the_retention_are_deleted_in_every_scope_and_newer_ones_kept()
    {
        var now = DateTime.UtcNow;
        var old = Enumerable.Range(0, IdempotentRequestCleanupService.BatchSize + 7)
            .Select(i => Request(i % 2 == 0 ? $"authorise:{Merchant}" : "payment-id", now.AddDays(-8).AddSeconds(-i)))
            .Append(Request($"capture:{Guid.NewGuid():D}", now.AddDays(-7).AddMinutes(-1)))
            .ToList();
        var kept = new[] { Request($"authorise:{Merchant}", now.AddDays(-6)), Request("payment-id", now.AddDays(-7).AddMinutes(1)) };
        await Fixture.WithDb(db =>
        {
            db.IdempotentRequests.AddRange(old.Concat(kept));
            return db.SaveChangesAsync();
        });

        var cleanup = Fixture.Factory.Services.GetServices<IHostedService>().OfType<IdempotentRequestCleanupService>().Single();
        var deleted = await cleanup.RunOnce(TestContext.Current.CancellationToken);

        Assert.True(deleted >= old.Count, $"Deleted {deleted} of {old.Count} old records.");
        var left = await Fixture.WithDb(db => db.IdempotentRequests.AsNoTracking().Where(r => r.MerchantId == Merchant).Select(r => r.IdempotencyKey).ToListAsync());
        Assert.Equal(kept.Select(r => r.IdempotencyKey).Order(), left.Order());
    }

    [Fact]
    public async Task Past_the_retention_an_authorisation_s_records_are_deleted_and_its_payment_stays_readable()
    {
        var key = $"k-{Guid.NewGuid():N}";
        var first = await PaymentsApiClient.Accepted(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, 5.00m), key));
        await Api.WaitForState(first, "Authorised");
        await Fixture.WithDb(db => db.IdempotentRequests.Where(r => r.PaymentId == first)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.CreatedAt, DateTime.UtcNow.AddDays(-8))));

        await Fixture.Factory.Services.GetServices<IHostedService>().OfType<IdempotentRequestCleanupService>().Single()
            .RunOnce(TestContext.Current.CancellationToken);

        Assert.Equal(0, await Fixture.IdempotentRequestCount(key));
        Assert.Equal(0, await Fixture.WithDb(db => db.IdempotentRequests.CountAsync(r => r.PaymentId == first)));
        Assert.Equal("Authorised", (await Api.Get(first)).State);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public async Task A_retention_that_is_not_positive_fails_start_up_naming_the_setting(string retention)
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["Payments:Api:IdempotencyRetention"] = retention });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("Payments__Api__IdempotencyRetention", validation.Message, StringComparison.Ordinal);
    }

    private IdempotentRequest Request(string scope, DateTime createdAt) => new()
    {
        Scope = scope, IdempotencyKey = $"k-{Guid.NewGuid():N}", RequestHash = new string('0', 64), PaymentId = Guid.NewGuid(), MerchantId = Merchant,
        CreatedAt = createdAt,
    };
}
