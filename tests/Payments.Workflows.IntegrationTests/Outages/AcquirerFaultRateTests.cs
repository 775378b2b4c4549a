namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// The acquirer failing 60 % of its calls transiently while two instances take authorisations and captures: retries
/// and redeliveries get every payment an answer, none is dumped into an error queue.
/// </summary>
public sealed class AcquirerFaultRateTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Payments = 40;

    [Fact]
    public async Task Payments_through_an_acquirer_failing_60_percent_of_calls_are_all_captured_once()
    {
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_acq_rate",
            new Dictionary<string, string?> { ["Payments:Acquirer:TransientFaultRate"] = "0.6" });
        var traffic = new PaymentTraffic(rig, "rate");

        var ids = await traffic.Run(Payments, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(100));
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(15));
        Assert.Empty(traffic.Failures);
    }
}
