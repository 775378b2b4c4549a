using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// The durable scheduler driven by a state machine saga's Schedule/Unschedule, and the saga repository sharing the
/// inbox/outbox transaction; run once per database provider by the derived classes.
/// </summary>
public abstract class SchedulerAndSagaScenarios : MessagingScenarios
{
    private static Func<Task<bool>> StateIs(MessagingHost host, Guid id, string state) =>
        () => host.Query(db => db.Timers.AnyAsync(x => x.CorrelationId == id && x.CurrentState == state));

    [Fact]
    public async Task A_scheduled_message_fires_when_due_and_not_before()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, clock: clock);
        var id = Guid.NewGuid();
        var delay = TimeSpan.FromSeconds(1.5);

        var start = clock.GetUtcNow();
        await host.Publish(new StartTimer { TimerId = id, Delay = delay });

        await EventuallyAsTimePasses(clock, () => host.Expiries.Count(id) == 1, "the expiry fired");
        var elapsed = clock.GetUtcNow() - start;
        Assert.True(elapsed >= delay, $"fired after {elapsed}, before its due time");
        await EventuallyAsTimePasses(clock, StateIs(host, id, "Expired"), "the saga expired");
        // The sent rows go with the delivered marks, written in the background a moment after the sends.
        await EventuallyAsTimePasses(clock, async () => await host.Query(db => db.OutboxMessages.CountAsync()) == 0, "every sent row was deleted");
    }

    [Fact]
    public async Task A_cancelled_schedule_never_fires()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartHost(database, clock: clock);
        var id = Guid.NewGuid();
        // The fake clock stands still until the test moves it, so the cancel always comes before the due time.
        var delay = TimeSpan.FromSeconds(5);
        var due = clock.GetUtcNow() + delay;

        await host.Publish(new StartTimer { TimerId = id, Delay = delay });
        await Eventually.True(StateIs(host, id, "Running"), "the timer runs");
        Assert.Equal(1, await host.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));

        await host.Publish(new StopTimer { TimerId = id });
        await Eventually.True(StateIs(host, id, "Halted"), "the timer stopped");
        Assert.Equal(0, await host.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));

        // The started event's row goes with its delivered mark; then nothing is left that may legitimately be sent.
        await EventuallyAsTimePasses(clock, async () => await host.Query(db => db.OutboxMessages.CountAsync()) == 0, "every sent row was deleted");

        // Past the due time plus several delivery polls, and a delivery pass there: had the row survived, that pass
        // would have claimed it.
        var pastDue = due + TimeSpan.FromSeconds(2) - clock.GetUtcNow();
        if (pastDue > TimeSpan.Zero)
            clock.Advance(pastDue);
        var pass = await DeliveryService(host).DeliverDue(TestContext.Current.CancellationToken);
        Assert.Equal(0, pass.Claimed);
        Assert.Equal(0, host.Expiries.Count(id));
        Assert.True(await StateIs(host, id, "Halted")());
    }

    [Fact]
    public async Task A_message_scheduled_before_a_restart_fires_after_it()
    {
        await using var database = await CreatedDatabase();
        var expiries = new ExpiryLog();
        var id = Guid.NewGuid();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        await using (var first = await StartHost(database, expiries: expiries, clock: clock))
        {
            await first.Publish(new StartTimer { TimerId = id, Delay = TimeSpan.FromSeconds(2) });
            await Eventually.True(StateIs(first, id, "Running"), "the timer runs");
        }

        Assert.Equal(0, expiries.Count(id));

        await using var second = await StartHost(database, expiries: expiries, clock: clock);
        await EventuallyAsTimePasses(clock, () => expiries.Count(id) == 1, "the expiry fired after the restart");
        await EventuallyAsTimePasses(clock, StateIs(second, id, "Expired"), "the saga expired");
    }

    [Fact]
    public async Task The_saga_row_its_schedule_and_its_events_commit_together()
    {
        await using var database = await CreatedDatabase();
        // The consumer sends its event itself right after the commit. Had that send taken longer than the hand-off
        // delay (the hosts' 1 s, on a loaded machine), the delivery service would take the row over and commit a
        // pass of its own: a third transaction that says nothing about how the saga committed.
        await using var host = await StartHost(database, options: o => o.ConsumerHandOffDelay = TimeSpan.FromMinutes(5),
            recordDeliveries: false);
        var id = Guid.NewGuid();

        var before = host.Transactions.Commits;
        await host.Publish(new StartTimer { TimerId = id, Delay = TimeSpan.FromMinutes(10) });

        await Eventually.True(() => host.Query(db => db.InboxStates.AnyAsync(x => x.Delivered != null)), "the start was consumed and delivered");
        await Eventually.True(() => host.Transactions.Commits - before >= 1, "the commit was counted");
        var transactions = host.Transactions.Commits - before;

        var saga = await host.Query(db => db.Timers.SingleAsync(x => x.CorrelationId == id));
        var scheduled = await host.Query(db => db.OutboxMessages.SingleAsync());
        Assert.Equal("Running", saga.CurrentState);
        Assert.Equal(saga.ExpiryToken, scheduled.TokenId);
        Assert.NotNull(scheduled.ScheduledTime);
        Assert.True(transactions <= 2, $"{transactions} transactions for the saga's message");
    }

    [Fact]
    public async Task A_saga_that_fails_after_scheduling_and_publishing_leaves_no_row_and_no_message()
    {
        await using var database = await CreatedDatabase();
        await using var host = await StartHost(database);
        var id = Guid.NewGuid();

        await host.Publish(new StartTimer { TimerId = id, Fail = true, Delay = TimeSpan.FromMilliseconds(200) });

        await Eventually.True(() => host.Harness.Published.Select<MassTransit.Fault<StartTimer>>(TestContext.Current.CancellationToken).Any(),
            "the saga faulted");
        Assert.Equal(0, await host.Query(db => db.Timers.CountAsync()));
        Assert.Equal(0, await host.Query(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(0, await host.Query(db => db.InboxStates.CountAsync()));
        Assert.Empty(host.Harness.Consumed.Select<TimerStarted>(TestContext.Current.CancellationToken));
    }
}
