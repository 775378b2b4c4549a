using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>
/// The outbox gauges on /metrics follow the table: rows written show as pending (and their age) or scheduled, a pass of
/// the delivery service takes the pending ones away, and a row that cannot be sent shows as quarantined. The host's own
/// delivery loop is off, so each pass is the test's.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class OutboxGaugeTests : IAsyncLifetime
{
    private readonly PaymentsApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["Payments:Messaging:DeliveryServiceEnabled"] = "false",
        ["Payments:Messaging:MaxDeliveryAttempts"] = "1",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task The_outbox_gauges_move_as_rows_are_written_delivered_and_quarantined()
    {
        var scrape = new PrometheusScrape(_factory.CreateClient(), _factory.Keys.Ops);
        var sink = new Uri($"queue:gauge-tests-{Guid.NewGuid():N}");

        await OutboxRowsFor.Send(_factory.Services, sink, count: 3);
        await OutboxRowsFor.Send(_factory.Services, sink, count: 1, delay: TimeSpan.FromHours(1));
        await OutboxRowsFor.BreakOne(_factory.Services);

        await Until(scrape, "3 pending and 1 scheduled rows, the oldest due for some time", t =>
            Gauge(t, "messaging_outbox_pending") == 3 && Gauge(t, "messaging_outbox_scheduled") == 1
            && Gauge(t, "messaging_outbox_oldest_pending_age_seconds") > 0 && Gauge(t, "messaging_outbox_quarantined_rows") == 0);

        var pass = await Delivery().DeliverDue(TestContext.Current.CancellationToken);
        Assert.Equal((2, 1), (pass.Sent, pass.Failed));

        await Until(scrape, "no pending row, 1 quarantined, 2 sent", t =>
            Gauge(t, "messaging_outbox_pending") == 0 && Gauge(t, "messaging_outbox_oldest_pending_age_seconds") == 0
            && Gauge(t, "messaging_outbox_quarantined_rows") == 1 && Gauge(t, "messaging_outbox_sent_total") == 2
            && Gauge(t, "messaging_outbox_quarantined_total") == 1);
    }

    private OutboxDeliveryService<PaymentsDbContext> Delivery() =>
        _factory.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService<PaymentsDbContext>>().Single();

    private static double? Gauge(string text, string metric) => PrometheusScrape.Value(text, metric);

    private static Task Until(PrometheusScrape scrape, string what, Func<string, bool> done) =>
        Eventually.Matches(_ => scrape.Read(), done, what, describe: t => string.Join(Environment.NewLine,
            t.Split('\n').Where(l => l.StartsWith("messaging_", StringComparison.Ordinal))));
}
