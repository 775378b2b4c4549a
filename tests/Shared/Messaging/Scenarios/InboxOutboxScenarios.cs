using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>The consumer inbox/outbox scenarios, run once per database provider by the derived classes.</summary>
public abstract class InboxOutboxScenarios : MessagingScenarios
{

    [Fact]
    public async Task The_same_message_id_delivered_twice_at_once_has_one_effect_and_one_set_of_outgoing_messages()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);
        var id = NewId.NextGuid();
        var message = new DoWork { Key = "dup-1", Events = 2 };

        await Task.WhenAll(host.Publish(message, id), host.Publish(message, id));

        await Eventually.True(() => host.Query(db => db.InboxStates.AnyAsync(x => x.MessageId == id && x.ReceiveCount == 2)),
            "both copies reached the inbox");
        await Eventually.True(() => host.Deliveries.Count("dup-1") == 2, "both events were consumed downstream");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.AnyAsync().ContinueWith(t => !t.Result)), "the outbox is empty");

        Assert.Equal(1, await host.Query(db => db.Effects.CountAsync(x => x.Key == "dup-1")));
        var workDoneDeliveries = host.Harness.Consumed.Select<WorkDone>(x => x.Context.Message.Key == "dup-1", TestContext.Current.CancellationToken).Count();
        Assert.Equal(2, workDoneDeliveries);
    }

    [Fact]
    public async Task A_batch_consumer_applies_each_message_once_and_never_sees_a_copy_the_inbox_already_has()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);
        var first = Enumerable.Range(0, 10).Select(i => (Id: NewId.NextGuid(), Key: $"batch-{i}")).ToList();

        // Ten messages and a second copy of three of them, all at once: copies land in the same batch or the next.
        await Task.WhenAll(first.Concat(first.Take(3)).Select(m => host.Publish(new DoBatchWork { Key = m.Key }, m.Id)));
        await Eventually.True(() => first.All(m => host.Deliveries.Count(m.Key) >= 1), "every message's event was consumed");

        // Copies of five seen messages with two new ones: only the new ones reach the consumer.
        var second = Enumerable.Range(10, 2).Select(i => (Id: NewId.NextGuid(), Key: $"batch-{i}")).ToList();
        await Task.WhenAll(first.Skip(5).Concat(second).Select(m => host.Publish(new DoBatchWork { Key = m.Key }, m.Id)));
        var repeated = first.Skip(5).Select(m => m.Id).ToList();
        await Eventually.True(() => host.Query(db => db.InboxStates.CountAsync(x => repeated.Contains(x.MessageId) && x.ReceiveCount >= 2))
            .ContinueWith(t => t.Result == repeated.Count), "the repeated copies reached the inbox");
        await Eventually.True(() => second.All(m => host.Deliveries.Count(m.Key) >= 1), "the new messages' events were consumed");
        await Eventually.True(() => host.Query(db => db.OutboxMessages.AnyAsync()).ContinueWith(t => !t.Result), "the outbox is empty");

        var all = first.Concat(second).ToList();
        var effects = await host.Query(db => db.Effects.Where(x => x.Key.StartsWith("batch-")).Select(x => x.Key).ToListAsync());
        Assert.Equal(all.Select(m => m.Key).Order(), effects.Order());
        Assert.All(all, m => Assert.Equal(1, host.Deliveries.Count(m.Key)));
        var ids = all.Select(m => m.Id).ToList();
        await Eventually.True(() => host.Query(db => db.InboxStates.CountAsync(x => x.Delivered != null && x.Consumed != null && ids.Contains(x.MessageId)))
            .ContinueWith(t => t.Result == ids.Count), "every message has its inbox mark, consumed and delivered");
        Assert.True(host.Batches.Sizes.Max() > 1, $"no batch held more than one message (sizes {string.Join(", ", host.Batches.Sizes)})");
        Assert.Equal(all.Count, host.Batches.Sizes.Sum());
    }

    [Fact]
    public async Task A_published_event_reaches_consumers_only_after_the_effect_committed()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);

        for (var i = 0; i < 10; i++)
            await host.Publish(new DoWork { Key = $"commit-{i}" });

        await Eventually.True(() => host.Deliveries.Entries.Count == 10, "all ten events were consumed");
        Assert.All(host.Deliveries.Entries, x => Assert.True(x.EffectVisible, $"event for {x.Key} arrived before its effect committed"));
    }

    [Fact]
    public async Task A_consumer_that_throws_commits_nothing_and_sends_nothing()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);
        var id = NewId.NextGuid();

        await host.Publish(new DoWork { Key = "fails", Events = 3, Fail = true }, id);

        await Eventually.True(() => host.Harness.Published.Select<Fault<DoWork>>(TestContext.Current.CancellationToken).Any(), "the consumer fault was published");
        Assert.Equal(0, await host.Query(db => db.Effects.CountAsync()));
        Assert.Equal(0, await host.Query(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(0, await host.Query(db => db.InboxStates.CountAsync(x => x.MessageId == id)));
        Assert.Empty(host.Harness.Consumed.Select<WorkDone>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_message_without_a_message_id_is_refused_and_never_consumed()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);

        await host.Harness.Bus.Publish(new DoWork { Key = "no-id" }, context => context.MessageId = null, TestContext.Current.CancellationToken);

        await Eventually.True(() => host.Harness.Published.Select<ReceiveFault>(TestContext.Current.CancellationToken).Any(), "the message faulted");
        var fault = host.Harness.Published.Select<ReceiveFault>(TestContext.Current.CancellationToken).First().Context.Message;
        Assert.Contains("MessageId", fault.Exceptions[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.Query(db => db.Effects.CountAsync()));
    }

    [Theory]
    [InlineData(OutboxFaultPoint.AfterEffectCommitted)]
    [InlineData(OutboxFaultPoint.AfterOutgoingSent)]
    [InlineData(OutboxFaultPoint.AfterDeliveredMarked)]
    public async Task After_a_crash_and_redelivery_the_effect_happens_once_and_every_event_goes_out(OutboxFaultPoint point)
    {
        await using var database = await CreatedDatabase();
        var deliveries = new DeliveryLog();
        var id = NewId.NextGuid();
        var message = new DoWork { Key = $"crash-{point}", Events = 2 };

        var faults = new FaultInjector(point, id);
        await using (var first = await StartHost(database, faults: faults, deliveries: deliveries,
            options: o => o.ConsumerHandOffDelay = TimeSpan.FromMinutes(5)))
        {
            await first.Publish(message, id);
            await Eventually.True(() => faults.Fired, $"the process crashed at {point}");

            // What reached the broker stays there through our crash (the in-memory broker dies with this host,
            // RabbitMQ would not): let it be consumed before the host goes away.
            if (point != OutboxFaultPoint.AfterEffectCommitted)
                await Eventually.True(() => deliveries.Count(message.Key) == 2, "the events that were sent reached the consumer");
        }

        // The broker redelivers the unacknowledged message to the restarted service.
        await using var second = await StartHost(database, deliveries: deliveries);
        await second.Publish(message, id);

        await Eventually.True(() => deliveries.Count(message.Key) == 2, "both events were consumed downstream");
        await Eventually.True(() => second.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");
        Assert.Equal(1, await second.Query(db => db.Effects.CountAsync(x => x.Key == message.Key)));
    }

    [Fact]
    public async Task After_a_crash_past_the_commit_the_delivery_service_sends_the_events_without_any_redelivery()
    {
        await using var database = await CreatedDatabase();
        var deliveries = new DeliveryLog();
        var id = NewId.NextGuid();

        var faults = new FaultInjector(OutboxFaultPoint.AfterEffectCommitted, id);
        await using (var first = await StartHost(database, faults: faults, deliveries: deliveries,
            options: o => o.ConsumerHandOffDelay = TimeSpan.FromSeconds(2)))
        {
            await first.Publish(new DoWork { Key = "orphaned", Events = 3 }, id);
            await Eventually.True(() => faults.Fired, "the process crashed after the commit");
        }

        Assert.Equal(3, await QueryOnce(database, db => db.OutboxMessages.CountAsync()));

        await using var second = await StartHost(database, deliveries: deliveries);

        await Eventually.True(() => deliveries.Count("orphaned") == 3, "all three events were delivered by the delivery service");
        await Eventually.True(() => second.Query(db => db.OutboxMessages.CountAsync()).ContinueWith(t => t.Result == 0), "the outbox is empty");
        Assert.Equal(1, await second.Query(db => db.Effects.CountAsync(x => x.Key == "orphaned")));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(5, 2)]
    public async Task The_hot_path_commits_at_most_two_transactions_per_consumed_message(int events, int expectedTransactions)
    {
        await using var database = await CreatedDatabase();
        // Past the hand-off delay a slow send would let the delivery service commit a pass of its own (see the saga's
        // commit-count test); the hosts' 1 s is short for a loaded machine, so this test waits longer before a hand-off.
        await using var host = await StartHost(database, options: o => o.ConsumerHandOffDelay = TimeSpan.FromMinutes(5),
            recordDeliveries: false);

        for (var i = 0; i < 5; i++)
        {
            var id = NewId.NextGuid();
            var before = host.Transactions.Commits;
            var inboxWritesBefore = host.Transactions.InboxWrites;

            await host.Publish(new DoWork { Key = $"tx-{events}-{i}", Events = events }, id);
            await Eventually.True(() => host.Query(db => db.InboxStates.AnyAsync(x => x.MessageId == id && x.Delivered != null)),
                "the message was consumed and its events delivered");

            // The row is visible to us a moment before the committing connection's interceptor has counted it.
            await Eventually.True(() => host.Transactions.Commits - before >= expectedTransactions, "the commits were counted");
            var transactions = host.Transactions.Commits - before;
            Assert.Equal(expectedTransactions, transactions);
            Assert.True(transactions <= 2, $"{transactions} transactions for one message");

            // The upsert writes the row consumed; only the delivered mark writes it again (with the effect when
            // nothing is sent, else after the sends), never a separate consumed mark.
            Assert.Equal(2, host.Transactions.InboxWrites - inboxWritesBefore);
        }
    }

    private static async Task<T> QueryOnce<T>(ITestDatabase database, Func<TestDbContext, Task<T>> query)
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        database.Configure(options);
        await using var db = new TestDbContext(options.Options);
        return await query(db);
    }
}
