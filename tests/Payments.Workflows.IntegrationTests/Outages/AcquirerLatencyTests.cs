using System.Diagnostics;
using System.Text.Json;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// An acquirer that takes 2 s to answer, on PostgreSQL and RabbitMQ with two instances: the calls waiting on it hold
/// no database transaction, so <c>POST /payments</c> keeps answering fast and no session sits idle in a transaction.
/// </summary>
public sealed class AcquirerLatencyTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private const int Waiting = 10;
    private const int Measured = 100;
    private static readonly TimeSpan AcquirerLatency = TimeSpan.FromSeconds(2);

    // The issue's target is 200 ms, and the log line below reports the figure against it (a clean CI run measured
    // 161 ms). The assertion leaves room for a loaded 2-core machine (up to 633 ms seen at a load average of 9 with
    // other builds running): a request that waited on an acquirer call, the fault this guards against, would take
    // the whole 2 s call.
    private static readonly TimeSpan P99Limit = TimeSpan.FromMilliseconds(800);

    // A transaction held across an acquirer call or a broker send is idle for the whole of it.
    private static readonly TimeSpan IdleInTransactionLimit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task With_the_acquirer_taking_2_seconds_POST_payments_answers_fast_at_p99_and_no_transaction_waits_on_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "latency_pg",
            new Dictionary<string, string?> { ["Payments:Acquirer:Latency"] = AcquirerLatency.ToString() });
        await using var idle = new IdleInTransactionWatch(rig.DatabaseConnectionString);

        // Twice the ten at once, so at least ten are still waiting while the first answers give way to the measured requests' calls.
        var payments = (await Task.WhenAll(Enumerable.Range(0, 2 * Waiting).Select(i => Authorise(rig, i)))).Select(p => p.Id).ToList();
        await Eventually.True(() => rig.Acquirers.Sum(Unanswered) >= Waiting, $"{Waiting} authorisations to be waiting on the acquirer");
        rig.Log($"{rig.Acquirers.Sum(Unanswered)} authorisations waiting on the acquirer");

        var latencies = new List<TimeSpan>();
        var waiting = new List<int>();
        for (var i = 2 * Waiting; i < 2 * Waiting + Measured; i++)
        {
            var (id, took) = await Authorise(rig, i);
            payments.Add(id);
            latencies.Add(took);
            waiting.Add(rig.Acquirers.Sum(Unanswered));
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        await Eventually.Matches(_ => States(rig, payments), s => s.All(state => state == nameof(PaymentStateMachine.Authorised)),
            $"all {payments.Count} payments to be Authorised", TimeSpan.FromSeconds(60), s => string.Join(", ", s.GroupBy(x => x).Select(g => $"{g.Key}: {g.Count()}")), ct);
        await idle.Stop();

        latencies.Sort();
        var p99 = latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1];
        rig.Log($"POST /payments over {latencies.Count} requests: median {latencies[latencies.Count / 2].TotalMilliseconds:0} ms, "
            + $"p99 {p99.TotalMilliseconds:0} ms (target 200 ms), slowest {string.Join(", ", latencies.TakeLast(5).Select(l => l.TotalMilliseconds.ToString("0")))} ms; calls waiting on the acquirer at each request: median {Median(waiting)}, least {waiting.Min()}; "
            + $"longest idle in transaction {idle.Longest.Time.TotalMilliseconds:0} ms (its last statement: {idle.Longest.Statement}), "
            + $"over {idle.Samples} samples");
        Assert.True(Median(waiting) >= Waiting, $"Only {Median(waiting)} calls were waiting on the acquirer at the median request.");
        Assert.True(p99 < P99Limit, $"POST /payments p99 was {p99.TotalMilliseconds:0} ms.");
        Assert.True(idle.Samples > 20, $"Only {idle.Samples} samples of pg_stat_activity.");
        Assert.True(idle.Longest.Time < IdleInTransactionLimit,
            $"A session was idle in transaction for {idle.Longest.Time.TotalMilliseconds:0} ms after: {idle.Longest.Statement}");

        foreach (var id in payments)
            Assert.Single(await rig.Instances[0].Driver.Ledger(id));
        LedgerAssert.SumsToZero(await rig.Instances[0].Driver.AllEntries());
        Assert.Empty(await rig.ErrorQueuesWithMessages());
    }

    /// <summary>POST /payments to one instance or the other; asserts 202 and returns the time it took.</summary>
    private static async Task<(Guid Id, TimeSpan Took)> Authorise(OutageRig rig, int i)
    {
        var id = Guid.NewGuid();
        var body = JsonSerializer.Serialize(new
        {
            paymentId = id,
            merchantId = $"merchant-{i % 3}",
            customerId = $"customer-{i}",
            amount = 10.00m + i,
            currency = "EUR",
            cardToken = "tok_visa",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", $"latency-{i}");
        var clock = Stopwatch.StartNew();
        using var response = await rig.Instances[i % 2].Http.SendAsync(request, TestContext.Current.CancellationToken);
        var took = clock.Elapsed;
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST /payments answered {(int)response.StatusCode}.");
        return (id, took);
    }

    private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);

    private static int Unanswered(SimulatedAcquirer acquirer) => acquirer.Calls().Keys.Count(id => acquirer.DecisionFor(id) is null);

    private static async Task<string[]> States(OutageRig rig, List<Guid> payments) =>
        [.. await Task.WhenAll(payments.Select(async id => (await rig.Instances[0].Driver.Payment(id))?.CurrentState ?? "(none)"))];
}
