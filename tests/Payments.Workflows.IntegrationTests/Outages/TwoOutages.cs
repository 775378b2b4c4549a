using System.Diagnostics;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// The shape every link-outage scenario shares: 40 payments over HTTP on two instances, the link cut for 20 s twice
/// with 10 s between, then every payment captured once and no client that gave up.
/// </summary>
internal static class TwoOutages
{
    private const int Payments = 40;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BetweenOutages = TimeSpan.FromSeconds(10);

    /// <param name="whileDown">Checks during an outage, given the time since it began; the outage lasts 20 s whatever they take.</param>
    /// <param name="onceRestored">Checks right after the link is back.</param>
    public static async Task Run(OutageRig rig, FaultProxy link, string name, Func<Stopwatch, Task> whileDown, Func<Task> onceRestored,
        CancellationToken cancellationToken)
    {
        var traffic = new PaymentTraffic(rig, name);
        var payments = traffic.Run(Payments, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(110));
        await Eventually.True(() => traffic.Started >= 5, "five payments to be under way");
        for (var outage = 1; outage <= 2; outage++)
        {
            var cut = link.Refuse();
            var since = Stopwatch.StartNew();
            rig.Log($"{name} outage {outage}: refusing, {cut} connections reset");
            await whileDown(since);
            // The outage lasts its full length: this is the outage itself, not a wait for a condition.
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0L, (Outage - since.Elapsed).Ticks)), cancellationToken);
            link.Restore();
            rig.Log($"{name} outage {outage}: restored");
            await onceRestored();
            if (outage == 1)
                await Task.Delay(BetweenOutages, cancellationToken);
        }

        var ids = await payments;
        rig.Log($"traffic over: {ids.Count} payments, {traffic.Failures.Count} given up");
        await rig.AssertEveryPaymentCapturedOnce(ids, TimeSpan.FromSeconds(30));
        Assert.Empty(traffic.Failures);
    }
}
