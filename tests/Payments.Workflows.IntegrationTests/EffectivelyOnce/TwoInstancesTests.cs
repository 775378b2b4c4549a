using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.IntegrationTests.EffectivelyOnce;

/// <summary>Two service instances compete for one set of queues over one database, as a scaled-out service does.</summary>
public sealed class TwoInstancesTests(RabbitMqServer rabbitMq, PostgresServer postgres)
{
    private const int Payments = 2000;

    [Fact]
    public async Task Two_instances_complete_2000_payments_with_no_duplicate_posting_and_no_outbox_row_left()
    {
        var ct = TestContext.Current.CancellationToken;
        var vhost = await rabbitMq.CreateVirtualHostAsync("two-instances", ct);
        var database = await postgres.CreateDatabaseAsync("two_instances", ct);
        await using var first = await ServiceHost.Start(vhost, database);
        await using var second = await ServiceHost.Start(vhost, database);
        var commands = Enumerable.Range(0, Payments).Select(i => new AuthorisePayment
        {
            PaymentId = Guid.NewGuid(),
            IdempotencyKey = $"two-{i}",
            MerchantId = $"merchant-{i % 7}",
            CustomerId = $"customer-{i % 50}",
            Amount = 10.00m + i % 90,
            Currency = "EUR",
            CardToken = "tok_visa",
        }).ToList();

        var endpoint = await first.Services.GetRequiredService<IBus>().GetSendEndpoint(PaymentStateDefinition.Address);
        foreach (var chunk in commands.Chunk(100))
            await endpoint.SendBatch(chunk, ct);
        // Every tenth payment is published a second time with a new MessageId, as a retrying publisher would.
        foreach (var chunk in commands.Where((_, i) => i % 10 == 0).Chunk(100))
            await (await second.Services.GetRequiredService<IBus>().GetSendEndpoint(PaymentStateDefinition.Address)).SendBatch(chunk, ct);

        await Eventually.Matches(_ => first.Count<PaymentState>(q => q.Where(p => p.CurrentState == "Authorised")), n => n == Payments,
            $"all {Payments} payments to be Authorised", TimeSpan.FromMinutes(5), cancellationToken: ct);
        Assert.Equal(Payments, await first.Count<LedgerTransaction>());
        Assert.Equal(Payments, await first.Count<LedgerTransaction>(q => q.Where(t => t.Operation == LedgerOperation.Authorise)));
        var entries = await first.AllEntries();
        Assert.Equal(2 * Payments, entries.Count);
        Assert.Equal(0m, entries.Sum(e => e.Debit - e.Credit));
        var now = DateTime.UtcNow;
        await Eventually.Matches(_ => first.Count<OutboxMessage>(q => q.Where(m => m.DueAt <= now)), n => n == 0,
            "no due outbox row left", TimeSpan.FromSeconds(60), cancellationToken: ct);
    }
}
