using System.Diagnostics;
using System.Net;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// PostgreSQL unreachable for 20 s, twice, while two instances take authorisations and captures over HTTP: clients
/// retry with their keys, the service waits the outages out, readiness tells the load balancer, nothing is lost.
/// </summary>
public sealed class PostgresOutageTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Payments = 40;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BetweenOutages = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadyAgainWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Payments_started_across_two_database_outages_are_all_captured_once_and_readiness_follows_the_database()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_pg");
        var traffic = new PaymentTraffic(rig, "pg");

        var payments = traffic.Run(Payments, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(110));
        await Eventually.True(() => traffic.Started >= 5, "five payments to be under way");
        for (var outage = 1; outage <= 2; outage++)
        {
            var cut = rig.Database.Refuse();
            var since = Stopwatch.StartNew();
            rig.Log($"database outage {outage}: refusing, {cut} connections reset");
            var down = await Eventually.Matches(_ => rig.Readiness(), codes => codes.All(c => c != HttpStatusCode.OK),
                "/health/ready to stop answering 200 on both instances during the database outage", Outage, codes => string.Join(", ", codes), ct);
            rig.Log($"readiness went [{string.Join(", ", down)}] {since.Elapsed.TotalSeconds:0.0} s into the outage");
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (Outage - since.Elapsed).Ticks)), ct);

            rig.Database.Restore();
            var restored = Stopwatch.StartNew();
            rig.Log($"database outage {outage}: restored");
            await Eventually.Matches(_ => rig.Readiness(), codes => codes.All(c => c == HttpStatusCode.OK),
                "/health/ready to answer 200 on both instances after the database came back", ReadyAgainWithin, codes => string.Join(", ", codes), ct);
            rig.Log($"ready again {restored.Elapsed.TotalSeconds:0.0} s after the database came back");
            if (outage == 1)
                await Task.Delay(BetweenOutages, ct);
        }

        var ids = await payments;
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(30));
        Assert.Empty(traffic.Failures);
    }
}
