using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// Outages of the database and the broker: the delivery service and the delivered-mark writer pause, say so once
/// when the outage starts and once when it ends, and catch up afterwards; an outage is charged to no row.
/// </summary>
public abstract partial class DeliveryScenarios
{
    private const string DeliveryPaused = "Outbox delivery paused:";
    private const string DeliveryResumed = "Outbox delivery resumed after";
    private const string MarksPaused = "Delivered-mark writer paused:";
    private const string MarksResumed = "Delivered-mark writer resumed after";

    [Fact]
    public async Task During_a_database_outage_delivery_pauses_logging_it_once_and_sends_the_rows_that_fell_due_once_it_ends()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var outage = new DatabaseOutage();
        await using var host = await StartHost(database, clock: clock, outage: outage);
        using var outages = OutageGauge(host);

        var due = clock.GetUtcNow() + TimeSpan.FromSeconds(2);
        await PublishWorkDone(host, "due-in-db-outage", 5, TimeSpan.FromSeconds(2));
        outage.Active = true;

        // The rows fall due while the database is away, and the service keeps trying, quietly.
        await EventuallyAsTimePasses(clock, () => clock.GetUtcNow() > due + TimeSpan.FromSeconds(1) && host.Logs.Count(LogLevel.Warning, DeliveryPaused) == 1,
            "the delivery service paused and the rows fell due");
        var refused = outage.Refusals;
        await EventuallyAsTimePasses(clock, () => outage.Refusals >= refused + 3, "the delivery service tried again during the outage");
        Assert.Equal(0, host.Deliveries.Count("due-in-db-outage"));
        Assert.Equal(1, outages.Active("delivery"));

        outage.Active = false;
        await EventuallyAsTimePasses(clock, () => host.Deliveries.Count("due-in-db-outage") == 5, "the rows were delivered after the outage");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");

        Assert.Equal(Enumerable.Range(0, 5), host.Deliveries.Entries.Where(x => x.Key == "due-in-db-outage").Select(x => x.Index).Order());
        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Information, DeliveryResumed) == 1, "the delivery service said it resumed");
        AssertLoggedOnce(host, "OutboxDeliveryService", DeliveryPaused, DeliveryResumed);
        Assert.Equal(0, outages.Active("delivery"));
    }

    [Fact]
    public async Task During_a_broker_outage_delivery_pauses_charges_no_row_an_attempt_and_sends_every_row_once_it_ends()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        // Two failed attempts would quarantine a row: an outage that counted against rows would quarantine them all.
        await using var host = await StartHost(database, clock: clock, options: o => o.MaxDeliveryAttempts = 2);
        var broker = new BrokerOutage();
        using var observer = host.Services.GetRequiredService<IBusControl>().ConnectSendObserver(broker);

        await PublishWorkDone(host, "during-broker-outage", 5, TimeSpan.FromSeconds(1));
        broker.Active = true;

        // Each pass stops after two refused sends; several passes fail while the broker is away.
        await EventuallyAsTimePasses(clock, () => broker.Refusals >= 8, "the delivery service tried several passes during the outage");
        Assert.Equal(1, host.Logs.Count(LogLevel.Warning, DeliveryPaused));
        var waiting = await host.Query(db => db.OutboxMessages.ToListAsync());
        Assert.Equal(5, waiting.Count);
        Assert.All(waiting, row =>
        {
            Assert.Equal(0, row.DeliveryAttempts);
            Assert.Null(row.QuarantinedAt);
        });

        broker.Active = false;
        await EventuallyAsTimePasses(clock, () => host.Deliveries.Count("during-broker-outage") == 5, "every row was delivered after the outage");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");

        Assert.Equal(Enumerable.Range(0, 5), host.Deliveries.Entries.Where(x => x.Key == "during-broker-outage").Select(x => x.Index).Order());
        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Information, DeliveryResumed) == 1, "the delivery service said it resumed");
        AssertLoggedOnce(host, "OutboxDeliveryService", DeliveryPaused, DeliveryResumed);
    }

    [Fact]
    public async Task A_row_whose_send_fails_while_the_rows_behind_it_go_out_is_charged_the_attempt()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, clock: clock);
        var broker = new BrokerOutage();
        using var observer = host.Services.GetRequiredService<IBusControl>().ConnectSendObserver(broker);

        await PublishWorkDone(host, "one-row-refused", 5, TimeSpan.FromSeconds(1));
        broker.OnlyMessageId = await host.Query(db => db.OutboxMessages.OrderBy(x => x.SequenceNumber).Select(x => x.MessageId).FirstAsync());
        broker.Active = true;

        await EventuallyAsTimePasses(clock, () => host.Deliveries.Count("one-row-refused") == 4, "the rows behind the refused one were delivered");
        // The pass settles (deletes the rows it sent) after the sends themselves.
        await EventuallyAsTimePasses(clock, async () => await host.Query(db => db.OutboxMessages.CountAsync()) == 1, "the delivered rows were deleted");
        var refused = await host.Query(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(broker.OnlyMessageId, refused.MessageId);
        Assert.True(refused.DeliveryAttempts >= 1, "the refused row was charged its failed attempt");
        Assert.Contains(nameof(SocketException), refused.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_a_database_outage_delivered_marks_wait_logging_it_once_and_are_written_once_it_ends()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var outage = new DatabaseOutage();

        // No delivery service: only the writer can complete the consumer's inbox mark and delete its sent row.
        await using var host = await StartHost(database, clock: clock, outage: outage, options: o => o.DeliveryServiceEnabled = false);

        await host.Publish(new DoWork { Key = "marks-in-db-outage" });
        await Eventually.True(() => Task.FromResult(host.Deliveries.Count("marks-in-db-outage") == 1), "the consumer sent its event");
        await Eventually.True(() => host.Query(db => db.InboxStates.CountAsync(x => x.Consumed != null)).ContinueWith(t => t.Result == 2),
            "both consumers committed");

        // The writer lingers on the fake clock for company, so its mark is still unwritten when the database goes.
        outage.Active = true;
        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Warning, MarksPaused) == 1, "the writer paused");
        var refused = outage.Refusals;
        await EventuallyAsTimePasses(clock, () => outage.Refusals >= refused + 3, "the writer tried again during the outage");

        outage.Active = false;
        await EventuallyAsTimePasses(clock, async () => await host.Query(db => db.InboxStates.CountAsync(x => x.Delivered == null)) == 0,
            "every inbox mark was completed after the outage");
        Assert.Equal(0, await host.Query(db => db.OutboxMessages.CountAsync()));
        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Information, MarksResumed) == 1, "the writer said it resumed");

        AssertLoggedOnce(host, "DeliveredMarkWriter", MarksPaused, MarksResumed);
        Assert.Equal(1, host.Deliveries.Count("marks-in-db-outage"));
    }

    private static async Task PublishWorkDone(MessagingHost host, string key, int count, TimeSpan delay)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        for (var i = 0; i < count; i++)
            await publish.Publish(new WorkDone { Key = key, Index = i }, x => x.Delay = delay, TestContext.Current.CancellationToken);
        await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// One warning when the outage started, one information when it ended, and nothing else at warning or above from
    /// <paramref name="category"/>: no entry per failed attempt.
    /// </summary>
    private static void AssertLoggedOnce(MessagingHost host, string category, string paused, string resumed)
    {
        var entries = host.Logs.Entries.Where(x => x.Category.Contains(category, StringComparison.Ordinal)).ToList();
        Assert.Single(entries, x => x.Level == LogLevel.Warning && x.Message.StartsWith(paused, StringComparison.Ordinal));
        Assert.Single(entries, x => x.Level == LogLevel.Information && x.Message.StartsWith(resumed, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, x => x.Level >= LogLevel.Warning && !x.Message.StartsWith(paused, StringComparison.Ordinal));
    }

    private static OutageReadings OutageGauge(MessagingHost host) => new(host.Services.GetRequiredService<MessagingMetrics>().Meter);

    /// <summary>The sum of <c>messaging.outage.active</c> per service tag, from this host's meter only.</summary>
    private sealed class OutageReadings : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _active = [];

        public OutageReadings(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "messaging.outage.active")
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "service", Value: string service })
                    {
                        lock (_active)
                            _active[service] = _active.GetValueOrDefault(service) + value;
                    }
                }
            });
            _listener.Start();
        }

        public long Active(string service)
        {
            lock (_active)
                return _active.GetValueOrDefault(service);
        }

        public void Dispose() => _listener.Dispose();
    }
}
