using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// The in-memory transport forgets its queues when the process stops. The outbox keeps every row whose message an
/// endpoint of the process consumes until that endpoint has finished with it, and sends it again after a restart.
/// </summary>
public abstract class InMemoryTransportScenarios : MessagingScenarios
{
    [Fact]
    public async Task A_sent_command_stays_in_the_outbox_until_its_consumer_has_committed_while_an_event_for_no_one_here_goes_at_once()
    {
        var database = await CreatedDatabase();
        var gate = new WorkGate();
        await using var host = await StartHost(database, KeepSentRows, recordDeliveries: false, configure: Gated(gate));

        await PublishThroughOutbox(host, new DoGatedWork { Key = "gated" }, new WorkDone { Key = "nobody-listens" });

        // The command reached its consumer, which is still working: its row is kept; the event went and is gone.
        await Eventually.True(() => gate.Arrived == 1, "the consumer received the command");
        await Eventually.True(async () => await OutboxTypes(host) is ["DoGatedWork"], "only the command's row is left");

        gate.Open();
        await Eventually.True(async () => await host.Query(db => db.OutboxMessages.CountAsync()) == 0, "the outbox is empty");
        Assert.Equal(1, await host.Query(db => db.Effects.CountAsync(x => x.Key == "gated")));
    }

    [Fact]
    public async Task After_a_stop_that_lost_the_queued_messages_a_restart_sends_them_again_and_each_takes_effect_once()
    {
        var database = await CreatedDatabase();
        var first = new WorkGate();
        var before = await StartHost(database, KeepSentRows, recordDeliveries: false, configure: Gated(first));

        // Three messages consumed before the stop, three sent and not yet consumed when the process stops.
        first.Open();
        await PublishThroughOutbox(before, [.. Keys("done").Select(k => new DoGatedWork { Key = k })]);
        await Eventually.True(async () => await before.Query(db => db.Effects.CountAsync()) == 3, "the first three took effect");
        await Eventually.True(async () => await before.Query(db => db.OutboxMessages.CountAsync()) == 0, "their kept rows were deleted");

        var second = new WorkGate();
        await before.DisposeAsync();
        before = await StartHost(database, KeepSentRows, recordDeliveries: false, configure: Gated(second));
        await PublishThroughOutbox(before, [.. Keys("in-flight").Select(k => new DoGatedWork { Key = k })]);
        // The first holds its transaction open (on SQLite, the database's only write lock), the others wait behind it.
        await Eventually.True(() => second.Arrived >= 1, "the last three reached their consumer");
        await before.DisposeAsync();

        // Gone from memory, still in the table.
        var kept = await Query(database, db => db.OutboxMessages.CountAsync());
        Assert.Equal(3, kept);

        var restarted = new WorkGate();
        restarted.Open();
        await using var after = await StartHost(database, KeepSentRows, recordDeliveries: false, configure: Gated(restarted));
        await Eventually.True(async () => await after.Query(db => db.Effects.CountAsync()) == 6, "every message took effect after the restart");
        await Eventually.True(async () => await after.Query(db => db.OutboxMessages.CountAsync()) == 0, "the outbox is empty");

        var effects = await after.Query(db => db.Effects.GroupBy(x => x.Key).Select(g => g.Count()).ToListAsync());
        Assert.All(effects, count => Assert.Equal(1, count));
    }

    private static void KeepSentRows(InboxOutboxOptions options) =>
        options.KeepSentUntilConsumed = null;

    private static Action<IBusRegistrationConfigurator> Gated(WorkGate gate) => x =>
    {
        x.AddSingleton(gate);
        x.AddConsumer<DoGatedWorkConsumer>();

        // A stop cancels the consumers still at the gate a second later, as a host's shutdown timeout would.
        x.AddOptions<MassTransitHostOptions>().Configure(o => o.ConsumerStopTimeout = TimeSpan.FromSeconds(1));
    };

    private static IEnumerable<string> Keys(string prefix) => Enumerable.Range(1, 3).Select(i => $"{prefix}-{i}");

    private static async Task PublishThroughOutbox(MessagingHost host, params object[] messages)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var message in messages)
            await publish.Publish(message, TestContext.Current.CancellationToken);
        await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string[]> OutboxTypes(MessagingHost host) =>
        (await host.Query(db => db.OutboxMessages.Select(x => x.MessageType).ToListAsync()))
        .Select(t => t.Split(';')[0].Split(':')[^1])
        .ToArray();

    private static async Task<T> Query<T>(ITestDatabase database, Func<TestDbContext, Task<T>> query)
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        database.Configure(options);
        await using var db = new TestDbContext(options.Options);
        return await query(db);
    }
}
