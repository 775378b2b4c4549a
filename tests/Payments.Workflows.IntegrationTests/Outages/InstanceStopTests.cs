using Payments.Workflows.Components.Acquirer;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// One of two instances stopped as SIGTERM stops it (the host's graceful stop) while payments are under way, then a
/// replacement started with the same configuration: every payment is captured once, nothing lands in an error queue,
/// and the acquirer is asked once per payment across the old, surviving and new instances.
/// </summary>
public sealed class InstanceStopTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Payments = 60;

    [Fact]
    public async Task Payments_under_way_when_an_instance_stops_and_is_replaced_are_captured_once_with_one_acquirer_call_each()
    {
        // A slow acquirer, so calls are under way when the instance stops.
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_stop",
            new Dictionary<string, string?> { ["Payments:Acquirer:Latency"] = "00:00:00.400" });
        var traffic = new PaymentTraffic(rig, "stop");

        var payments = traffic.Run(Payments, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(120));
        await Eventually.True(() => traffic.Started >= 12, "twelve payments to be under way");
        var stopping = rig.Instances[0].Acquirer;
        await Eventually.True(() => Unanswered(stopping).Count > 0, "an acquirer call to be under way on the first instance");
        var underWay = Unanswered(stopping);
        rig.Log($"stopping the first instance with {underWay.Count} acquirer call(s) under way, {traffic.Started} payments started");
        await rig.Replace(0);

        var ids = await payments;
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(30));
        Assert.Empty(traffic.Failures);
        // The calls under way at the stop were finished by the stopping instance, not dropped and asked again elsewhere.
        Assert.All(underWay, id => Assert.NotNull(stopping.DecisionFor(id)));
        var askedAgain = ids.Where(id => rig.Acquirers.Sum(a => a.CallsFor(id)) != 1)
            .Select(id => $"{id}: {rig.Acquirers.Sum(a => a.CallsFor(id))} calls").ToList();
        Assert.True(askedAgain.Count == 0, $"The acquirer was not asked exactly once for: {string.Join(", ", askedAgain)}");
        rig.Log($"acquirer calls: {rig.Acquirers.Sum(a => a.Calls().Values.Sum())} for {ids.Count} payments, "
            + $"{stopping.Calls().Count} of them by the stopped instance");
    }

    // Payments the acquirer has been asked about and has not answered yet.
    private static List<Guid> Unanswered(SimulatedAcquirer acquirer) =>
        [.. acquirer.Calls().Keys.Where(id => acquirer.DecisionFor(id) is null)];
}
