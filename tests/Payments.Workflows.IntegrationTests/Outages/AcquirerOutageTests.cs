namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// The acquirer failing every call for 60 s while two instances take authorisations and captures: requests wait for
/// it instead of faulting, and once it answers again every payment is authorised and captured.
/// </summary>
public sealed class AcquirerOutageTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Payments = 40;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Payments_started_while_the_acquirer_fails_for_60_seconds_are_all_captured_once_it_answers()
    {
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_acq");
        var traffic = new PaymentTraffic(rig, "acq");

        var payments = traffic.Run(Payments, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120));
        await Eventually.True(() => traffic.Started >= 5, "five payments to be under way");
        foreach (var instance in rig.Instances)
            instance.Acquirer.FailFor(Outage);
        rig.Log($"acquirer failing every call for {Outage.TotalSeconds:0} s");

        var ids = await payments;
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(15));
        Assert.Empty(traffic.Failures);
    }
}
