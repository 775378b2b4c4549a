using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>The bus outbox and the delivery service, run once per database provider by the derived classes.</summary>
public abstract partial class DeliveryScenarios : MessagingScenarios
{
    // Several delivery polls (100 ms in these hosts) on the fake clock.
    private static readonly TimeSpan ObservationWindow = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_message_published_outside_a_consumer_leaves_only_when_the_callers_transaction_commits()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, clock: clock);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Effects.Add(new WorkEffect { Key = "api-1" });
            await publish.Publish(new WorkDone { Key = "api-1" }, TestContext.Current.CancellationToken);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);

            // The window passes on the fake clock, and a delivery pass at its end finds nothing it may send.
            clock.Advance(ObservationWindow);
            var pass = await DeliveryService(host).DeliverDue(TestContext.Current.CancellationToken);
            Assert.Equal(0, pass.Claimed);
            Assert.Equal(0, host.Deliveries.Count("api-1"));

            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.True(() => host.Deliveries.Count("api-1") == 1, "the event was delivered after the commit");
        Assert.True(host.Deliveries.Entries.Single(x => x.Key == "api-1").EffectVisible);
        await Eventually.True(() => host.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");
    }

    [Fact]
    public async Task A_message_published_in_a_rolled_back_transaction_never_leaves()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await publish.Publish(new WorkDone { Key = "rolled-back" }, TestContext.Current.CancellationToken);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(new WorkDone { Key = "committed" }, TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // Rows are sent in commit order; once the later one arrived, the rolled-back one had every chance.
        await Eventually.True(() => host.Deliveries.Count("committed") == 1, "the committed event was delivered");
        Assert.Equal(0, host.Deliveries.Count("rolled-back"));
    }

    [Fact]
    public async Task Rows_wait_while_the_bus_is_stopped_and_go_out_once_it_runs()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, clock: clock);
        var bus = host.Services.GetRequiredService<IBusControl>();

        // Stop a bus that has finished starting: stopped while its receive endpoints were still starting, an in-memory
        // bus left the late ones (the recorder's among them) dead after the restart, and the rows, though sent, were
        // never received.
        await Eventually.True(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "every receive endpoint is ready");
        await bus.StopAsync(TestContext.Current.CancellationToken);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < 5; i++)
                await publish.Publish(new WorkDone { Key = "while-stopped", Index = i }, TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // The window passes on the fake clock, and a delivery pass at its end claims the rows but tries none of them.
        clock.Advance(ObservationWindow);
        var pass = await DeliveryService(host).DeliverDue(TestContext.Current.CancellationToken);
        Assert.Equal(0, pass.Sent + pass.Failed);
        var waiting = await host.Query(db => db.OutboxMessages.ToListAsync());
        Assert.Equal(5, waiting.Count);
        Assert.All(waiting, x => Assert.Equal(0, x.DeliveryAttempts));

        await bus.StartAsync(TestContext.Current.CancellationToken);

        // The delivery service looks at the bus's health again when its wait on the clock ends.
        await EventuallyAsTimePasses(clock, () => host.Deliveries.Count("while-stopped") == 5, "the waiting rows were delivered");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");
    }

    [Fact]
    public async Task One_poison_row_does_not_delay_the_hundred_healthy_rows_behind_it()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database, options: o =>
        {
            o.MaxDeliveryAttempts = 3;
            o.DeliveryRetryDelay = TimeSpan.FromMilliseconds(200);
        });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

            await publish.Publish(new WorkDone { Key = "poison" }, TestContext.Current.CancellationToken);
            var poison = db.ChangeTracker.Entries<OutboxMessage>().Single().Entity;
            poison.Body = "this is not a message envelope";

            for (var i = 0; i < 100; i++)
                await publish.Publish(new WorkDone { Key = "healthy", Index = i }, TestContext.Current.CancellationToken);

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.True(() => host.Deliveries.Count("healthy") == 100, "all healthy rows were delivered");

        var first = await host.Query(db => db.OutboxMessages.OrderBy(x => x.SequenceNumber).FirstAsync());
        Assert.True(first.DeliveryAttempts >= 1, "the poison row was tried first and then passed over");

        await Eventually.True(() => host.Query(db => db.OutboxMessages.AnyAsync(x => x.QuarantinedAt != null)), "the poison row was quarantined");
        var quarantined = await host.Query(db => db.OutboxMessages.SingleAsync());
        Assert.Equal(3, quarantined.DeliveryAttempts);
        Assert.False(string.IsNullOrWhiteSpace(quarantined.LastError));
        Assert.Equal(0, host.Deliveries.Count("poison"));
    }

    [Fact]
    public async Task Two_instances_on_one_database_each_receiving_every_message_apply_each_effect_once()
    {
        await using var database = await CreatedDatabase();
        var deliveries = new DeliveryLog();
        await using var first = await StartHost(database, deliveries: deliveries);
        await using var second = await StartHost(database, deliveries: deliveries);
        const int messages = 40;

        var publishes = new List<Task>();
        var ids = new List<Guid>();
        for (var i = 0; i < messages; i++)
        {
            var id = NewId.NextGuid();
            ids.Add(id);
            var message = new DoWork { Key = $"twice-{i}" };
            publishes.Add(first.Publish(message, id));
            publishes.Add(second.Publish(message, id));
        }

        await Task.WhenAll(publishes);

        await Eventually.True(() => first.Query(db => db.InboxStates.CountAsync(x => ids.Contains(x.MessageId) && x.Delivered != null && x.ReceiveCount == 2))
            .ContinueWith(t => t.Result == messages), "every message was received by both instances", TimeSpan.FromSeconds(60));
        await Eventually.True(() => Enumerable.Range(0, messages).All(i => deliveries.Count($"twice-{i}") >= 1), "every event was delivered");
        await Eventually.True(() => first.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");

        Assert.Equal(messages, await first.Query(db => db.Effects.CountAsync()));
        Assert.Empty(first.Harness.Published.Select<Fault<DoWork>>(TestContext.Current.CancellationToken));
        Assert.Empty(second.Harness.Published.Select<Fault<DoWork>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_delivery_services_on_one_database_never_send_the_same_row_twice()
    {
        await using var database = await CreatedDatabase();
        var deliveries = new DeliveryLog();
        await using var first = await StartHost(database, deliveries: deliveries, options: o => o.DeliveryBatchSize = 20);
        await using var second = await StartHost(database, deliveries: deliveries, options: o => o.DeliveryBatchSize = 20);
        const int rows = 200;

        for (var batch = 0; batch < 4; batch++)
        {
            await using var scope = first.Services.CreateAsyncScope();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < rows / 4; i++)
                await publish.Publish(new WorkDone { Key = "claimed", Index = (batch * rows / 4) + i }, TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Eventually.True(() => first.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");
        await Eventually.True(() => deliveries.Count("claimed") == rows, "every row reached the consumer");

        int Sent(MessagingHost host) =>
            host.Harness.Consumed.Select<WorkDone>(x => x.Context.Message.Key == "claimed", TestContext.Current.CancellationToken).Count();

        // Each send reaches the consumer of the instance that sent it; a row sent twice would be counted twice.
        await Eventually.True(() => Sent(first) + Sent(second) >= rows, "both hosts recorded their consumptions");
        Assert.Equal(rows, Sent(first) + Sent(second));
    }

    [Fact]
    public async Task While_a_send_waits_on_the_broker_no_transaction_holds_its_row_or_the_database()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);
        var broker = new HeldSend();
        using var observer = host.Services.GetRequiredService<IBusControl>().ConnectSendObserver(broker);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>()
                .Publish(new WorkDone { Key = "held-send", Index = 0 }, TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var held = await broker.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        try
        {
            // Another writer (an operator, or a request committing its own rows) changes the very row being sent, and
            // is not kept waiting for the broker: a transaction held across the send would block it on the row's lock
            // (PostgreSQL, SQL Server) or the database's write lock (SQLite).
            var updated = await host.Query(db => db.OutboxMessages.Where(x => x.MessageId == held)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, "looked at while its send waited")))
                .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(1, updated);
            Assert.False(broker.Released);
        }
        finally
        {
            broker.Release();
        }

        await Eventually.True(() => Task.FromResult(host.Deliveries.Count("held-send") == 1), "the held row was delivered");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the sent row was deleted");
    }
}
