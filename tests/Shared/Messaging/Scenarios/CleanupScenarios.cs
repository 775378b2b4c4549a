using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Cleanup;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>Inbox expiry and the report of what never completed; run once per database provider.</summary>
public abstract partial class CleanupScenarios : MessagingScenarios
{

    [Fact]
    public async Task Marks_older_than_the_dedupe_window_are_deleted_in_batches_and_stuck_rows_are_reported()
    {
        await using var database = NewDatabase();
        await database.Create();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, options: o =>
        {
            o.DuplicateDetectionWindow = TimeSpan.FromHours(2);
            o.CleanupBatchSize = 7;
            o.StuckAfter = TimeSpan.FromMinutes(15);
            o.DeliveryServiceEnabled = false;
        }, clock: clock);
        var now = clock.GetUtcNow().UtcDateTime;
        var consumerId = Guid.NewGuid();
        var stuckMessage = Guid.NewGuid();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var i = 0; i < 20; i++)
                db.InboxStates.Add(Mark(Guid.NewGuid(), consumerId, now - TimeSpan.FromHours(3), delivered: true));
            for (var i = 0; i < 5; i++)
                db.InboxStates.Add(Mark(Guid.NewGuid(), consumerId, now - TimeSpan.FromMinutes(30), delivered: true));
            db.InboxStates.Add(Mark(stuckMessage, consumerId, now - TimeSpan.FromMinutes(30), delivered: false));
            db.OutboxMessages.Add(Row(now - TimeSpan.FromMinutes(29), inboxMessageId: stuckMessage, inboxConsumerId: consumerId));
            db.OutboxMessages.Add(Row(now - TimeSpan.FromHours(1)));
            db.OutboxMessages.Add(Row(now - TimeSpan.FromHours(1), quarantined: true));
            db.OutboxMessages.Add(Row(now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var gauges = new Dictionary<string, long>();
        var meter = host.Services.GetRequiredService<MessagingMetrics>().Meter;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: other tests' hosts publish the same instrument names meanwhile.
            if (ReferenceEquals(instrument.Meter, meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.Start();

        var cleanup = host.Services.GetServices<IHostedService>().OfType<InboxOutboxCleanupService<TestDbContext>>().Single();
        var report = await cleanup.RunOnce(TestContext.Current.CancellationToken);
        listener.RecordObservableInstruments();

        Assert.Equal(20, report.ExpiredInboxMarks);
        Assert.Equal(6, await host.Query(db => db.InboxStates.CountAsync()));
        Assert.Equal(2, report.StuckOutbox);
        Assert.Equal(1, report.Quarantined);
        Assert.Equal(1, report.IncompleteInbox);
        Assert.Equal(2, gauges["messaging.outbox.stuck"]);
        Assert.Equal(1, gauges["messaging.outbox.quarantined_rows"]);
        Assert.Equal(1, gauges["messaging.inbox.incomplete"]);
        Assert.Equal(20, gauges["messaging.inbox.expired"]);
    }

    private static InboxState Mark(Guid messageId, Guid consumerId, DateTime consumed, bool delivered) => new()
    {
        MessageId = messageId,
        ConsumerId = consumerId,
        LockId = Guid.NewGuid(),
        Received = consumed,
        ReceiveCount = 1,
        Consumed = consumed,
        Delivered = delivered ? consumed : null,
    };

    private static OutboxMessage Row(DateTime dueAt, Guid? inboxMessageId = null, Guid? inboxConsumerId = null, bool quarantined = false) => new()
    {
        MessageId = NewId.NextGuid(),
        DueAt = dueAt,
        SentTime = dueAt,
        InboxMessageId = inboxMessageId,
        InboxConsumerId = inboxConsumerId,
        QuarantinedAt = quarantined ? dueAt : null,
        DeliveryAttempts = quarantined ? 10 : 0,
        ContentType = "application/vnd.masstransit+json",
        MessageType = "urn:message:Test:Nothing",
        Body = "{}",
        DestinationAddress = new Uri("loopback://localhost/nowhere"),
    };
}
