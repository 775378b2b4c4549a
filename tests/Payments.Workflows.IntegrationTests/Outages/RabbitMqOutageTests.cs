using System.Diagnostics;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// RabbitMQ unreachable for 20 s, twice, while two instances take authorisations and captures over HTTP: the API keeps
/// accepting into its outbox, the bus reconnects, every payment completes and nothing lands in an error queue.
/// </summary>
public sealed class RabbitMqOutageTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Payments = 40;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BetweenOutages = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Payments_started_across_two_broker_outages_are_all_captured_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_mq");
        var traffic = new PaymentTraffic(rig, "mq");

        var payments = traffic.Run(Payments, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(110));
        await Eventually.True(() => traffic.Started >= 5, "five payments to be under way");
        for (var outage = 1; outage <= 2; outage++)
        {
            var cut = rig.Broker.Refuse();
            var since = Stopwatch.StartNew();
            rig.Log($"broker outage {outage}: refusing, {cut} connections reset; readiness [{string.Join(", ", await rig.Readiness())}]");
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (Outage - since.Elapsed).Ticks)), ct);
            rig.Log($"broker outage {outage}: readiness at its end [{string.Join(", ", await rig.Readiness())}]; restoring");
            rig.Broker.Restore();
            if (outage == 1)
                await Task.Delay(BetweenOutages, ct);
        }

        var ids = await payments;
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(30));
        Assert.Empty(traffic.Failures);
    }
}
