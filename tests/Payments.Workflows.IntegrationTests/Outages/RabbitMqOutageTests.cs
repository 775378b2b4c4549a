using System.Net;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// RabbitMQ unreachable for 20 s, twice, while two instances take authorisations and captures over HTTP: the API keeps
/// accepting into its outbox and stays ready (Degraded), the bus reconnects, every payment completes and nothing
/// lands in an error queue.
/// </summary>
public sealed class RabbitMqOutageTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    [Fact]
    public async Task Payments_started_across_two_broker_outages_are_all_captured_once_and_the_API_stays_ready()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_mq");

        await TwoOutages.Run(rig, rig.Broker, "broker",
            async _ => Assert.All(await rig.Readiness(), code => Assert.Equal(HttpStatusCode.OK, code)),
            async () => rig.Log($"readiness after the broker came back [{string.Join(", ", await rig.Readiness())}]"),
            ct);
    }
}
