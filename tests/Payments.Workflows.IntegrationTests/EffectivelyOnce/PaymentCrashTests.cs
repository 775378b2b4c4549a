using Payments.Workflows.Messaging.Outbox;

namespace Payments.Workflows.IntegrationTests.EffectivelyOnce;

/// <summary>
/// The process dies at each point of the consume path for every message of a payment's life, on RabbitMQ and
/// PostgreSQL; after recovery every effect happened once, every outgoing message went out, and the ledger balances.
/// </summary>
public sealed class PaymentCrashTests(RabbitMqServer rabbitMq, PostgresServer postgres)
{
    public static TheoryData<OutboxFaultPoint> Points =>
        [OutboxFaultPoint.AfterEffectCommitted, OutboxFaultPoint.AfterOutgoingSent, OutboxFaultPoint.AfterDeliveredMarked];

    [Theory]
    [MemberData(nameof(Points))]
    public async Task A_crash_at_each_point_of_every_message_leaves_each_posting_once_and_the_ledger_balanced(OutboxFaultPoint point)
    {
        var ct = TestContext.Current.CancellationToken;
        var injector = new PaymentFaultInjector(point);
        await using var service = await ServiceHost.Start(
            await rabbitMq.CreateVirtualHostAsync($"crash-{point}", ct),
            await postgres.CreateDatabaseAsync("crash", ct),
            new Dictionary<string, string?> { ["Payments:Messaging:ConsumerHandOffDelay"] = "00:00:01" },
            services => services.AddSingleton<IOutboxFaultInjector>(injector));
        var payments = Enumerable.Range(0, 5).Select(i => new AuthorisePayment
        {
            PaymentId = Guid.NewGuid(),
            IdempotencyKey = $"crash-auth-{i}",
            MerchantId = "merchant-crash",
            CustomerId = $"customer-{i}",
            Amount = 100.00m,
            Currency = "EUR",
            CardToken = "tok_visa",
        }).ToList();

        foreach (var payment in payments)
            await service.Send(payment);
        foreach (var payment in payments)
            await service.WaitForState(payment.PaymentId, "Authorised", TimeSpan.FromSeconds(60));
        foreach (var payment in payments)
            await service.Send(new CapturePayment { PaymentId = payment.PaymentId, IdempotencyKey = "capture", Amount = 100.00m });
        foreach (var payment in payments)
            await service.WaitForState(payment.PaymentId, "Captured", TimeSpan.FromSeconds(60));
        foreach (var payment in payments)
            await service.Send(new RefundPayment { PaymentId = payment.PaymentId, IdempotencyKey = "refund", Amount = 40.00m });
        foreach (var payment in payments)
            await service.WaitForState(payment.PaymentId, "PartiallyRefunded", TimeSpan.FromSeconds(60));

        // Four messages a payment take the consume path (authorise, the acquirer's answer, capture, refund: the
        // acquirer's own endpoint has no inbox/outbox, it calls out). A crash is injected once per message, and a
        // message whose delivered mark the delivery service wrote first passes the last point by: at least three each.
        Assert.True(injector.Faults >= payments.Count * 3, $"Only {injector.Faults} crashes were injected.");
        foreach (var payment in payments)
        {
            var ledger = await service.Ledger(payment.PaymentId);
            Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Capture, LedgerOperation.Refund], ledger.Select(t => t.Operation).Order());
        }

        LedgerAssert.Holds(await Task.WhenAll(payments.Select(p => service.Ledger(p.PaymentId))).ContinueWith(t => t.Result.SelectMany(x => x)),
            await service.AllEntries());
        var now = DateTime.UtcNow;
        await Eventually.Matches(_ => service.Count<OutboxMessage>(q => q.Where(m => m.DueAt <= now)), n => n == 0,
            "every due outbox row to be delivered", TimeSpan.FromSeconds(60), cancellationToken: ct);
    }
}
