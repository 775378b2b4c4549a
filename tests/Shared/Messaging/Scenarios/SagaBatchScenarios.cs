using System.Collections.Concurrent;
using Payments.Workflows.Messaging.Batching;
using Payments.Workflows.Messaging.Ordering;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// Batched saga execution: the timer saga's endpoint partitioned by timer and batched. A held start keeps the one
/// lane busy while the test queues messages behind it, so they meet in the next batch; then the gate opens.
/// </summary>
public abstract class SagaBatchScenarios : MessagingScenarios
{
    private const string TimerEndpoint = "TimerState";

    private readonly List<Guid> _startMessageIds = [];
    private OrderedPartitioner? _partitioner;

    private async Task Start(MessagingHost host, Guid timerId, bool fail = false)
    {
        var messageId = NewId.NextGuid();
        _startMessageIds.Add(messageId);
        await host.Publish(new StartTimer { TimerId = timerId, Fail = fail, Delay = TimeSpan.FromMinutes(10) }, messageId);
    }

    private Task<int> InboxMarksOfStarts(MessagingHost host)
    {
        var ids = _startMessageIds.ToArray();
        return host.Query(db => db.InboxStates.CountAsync(x => ids.Contains(x.MessageId)));
    }

    /// <summary>
    /// Timer ids that fall in partitions of their own, apart from each other and from <paramref name="taken"/>: a
    /// message in a busy partition waits there instead of queueing for the batch.
    /// </summary>
    private List<Guid> InOwnPartitions(int count, params Guid[] taken)
    {
        var partitioner = _partitioner ?? throw new InvalidOperationException("The timer endpoint was not configured.");
        var used = taken.Select(partitioner.PartitionFor).ToHashSet();
        var ids = new List<Guid>(count);
        while (ids.Count < count)
        {
            var id = Guid.NewGuid();
            if (used.Add(partitioner.PartitionFor(id)))
                ids.Add(id);
        }

        return ids;
    }

    private static Func<Task<bool>> StateIs(MessagingHost host, Guid id, string state) =>
        () => host.Query(db => db.Timers.AnyAsync(x => x.CorrelationId == id && x.CurrentState == state));

    private static int StartedEvents(MessagingHost host, Guid id) => host.Services.GetRequiredService<StartLog>().Count(id);

    [Fact]
    public async Task Starts_of_many_sagas_queued_together_commit_in_one_batch_each_once()
    {
        await using var database = await CreatedDatabase();
        var (batcher, gate) = NewBatcherAndGate();
        await using var host = await StartBatchingHost(database, batcher, gate);
        var timers = InOwnPartitions(10, gate.HeldTimerId);

        await HoldLane(host, gate);
        foreach (var id in timers)
            await Start(host, id);
        await Eventually.True(() => batcher.Waiting == timers.Count, "every start queued for the next batch");
        gate.Open();

        foreach (var id in timers.Append(gate.HeldTimerId))
            await Eventually.True(StateIs(host, id, "Running"), $"timer {id} runs");
        Assert.Equal(timers.Count, batcher.LargestBatch);
        foreach (var id in timers)
            await Eventually.True(() => StartedEvents(host, id) == 1, $"timer {id}'s start event went out");

        // One inbox mark, one saga row and one scheduled expiry per start; nothing published twice.
        Assert.Equal(timers.Count + 1, await InboxMarksOfStarts(host));
        Assert.Equal(timers.Count + 1, await host.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));
        foreach (var id in timers)
            Assert.Equal(1, StartedEvents(host, id));
    }

    [Fact]
    public async Task A_failing_message_in_a_batch_fails_alone_and_the_rest_of_its_batch_commits()
    {
        await using var database = await CreatedDatabase();
        var (batcher, gate) = NewBatcherAndGate();
        await using var host = await StartBatchingHost(database, batcher, gate);
        var ids = InOwnPartitions(9, gate.HeldTimerId);
        var good = ids.Take(8).ToList();
        var poison = ids[8];

        await HoldLane(host, gate);
        foreach (var id in good.Take(4))
            await Start(host, id);
        await Start(host, poison, fail: true);
        foreach (var id in good.Skip(4))
            await Start(host, id);
        await Eventually.True(() => batcher.Waiting == good.Count + 1, "every start queued for the next batch");
        gate.Open();

        foreach (var id in good)
            await Eventually.True(StateIs(host, id, "Running"), $"timer {id} runs");
        await Eventually.True(() => host.Harness.Published.Select<MassTransit.Fault<StartTimer>>(TestContext.Current.CancellationToken)
            .Any(f => f.Context.Message.Message.TimerId == poison), "the failing start faulted");
        Assert.Equal(good.Count + 1, batcher.LargestBatch);

        // The failing start left nothing (not even its inbox mark); each good one committed once, though its first
        // batch rolled back.
        Assert.False(await host.Query(db => db.Timers.AnyAsync(x => x.CorrelationId == poison)));
        Assert.Equal(0, StartedEvents(host, poison));
        Assert.Equal(good.Count + 1, await InboxMarksOfStarts(host));
        Assert.Equal(good.Count + 1, await host.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));
        foreach (var id in good)
            await Eventually.True(() => StartedEvents(host, id) == 1, $"timer {id}'s start event went out");
        Assert.Single(host.Harness.Published.Select<MassTransit.Fault<StartTimer>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_duplicate_and_a_later_message_of_a_saga_in_a_batch_wait_their_turn_and_apply_once()
    {
        await using var database = await CreatedDatabase();
        var (batcher, gate) = NewBatcherAndGate();
        await using var host = await StartBatchingHost(database, batcher, gate);
        var ids = InOwnPartitions(5, gate.HeldTimerId);
        var id = ids[0];
        var startId = NewId.NextGuid();
        var others = ids.Skip(1).ToList();

        await HoldLane(host, gate);
        await host.Publish(new StartTimer { TimerId = id, Delay = TimeSpan.FromMinutes(10) }, startId);
        await Eventually.True(() => batcher.Waiting == 1, "the start queued for the next batch");
        // The same start again (same MessageId) and the stop: both wait in the timer's partition behind the start.
        await host.Publish(new StartTimer { TimerId = id, Delay = TimeSpan.FromMinutes(10) }, startId);
        await host.Publish(new StopTimer { TimerId = id });
        foreach (var other in others)
            await Start(host, other);
        await Eventually.True(() => batcher.Waiting == 1 + others.Count, "the other timers' starts queued beside it");
        gate.Open();

        await Eventually.True(StateIs(host, id, "Halted"), "the timer started, then stopped");
        foreach (var other in others)
            await Eventually.True(StateIs(host, other, "Running"), $"timer {other} runs");
        await Eventually.True(() => StartedEvents(host, id) == 1, "the start event went out");

        // Started once (the copy was dropped), its expiry cancelled by the stop.
        Assert.Equal(1, StartedEvents(host, id));
        Assert.Equal(1, await host.Query(db => db.InboxStates.CountAsync(x => x.MessageId == startId)));
        Assert.Equal(others.Count + 1, await host.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));
        Assert.Equal(1 + others.Count, batcher.LargestBatch);
    }

    [Theory]
    [InlineData(OutboxFaultPoint.AfterEffectCommitted)]
    [InlineData(OutboxFaultPoint.AfterOutgoingSent)]
    [InlineData(OutboxFaultPoint.AfterDeliveredMarked)]
    public async Task After_a_crash_at_each_point_past_a_batch_commit_and_redelivery_each_saga_started_once(OutboxFaultPoint point)
    {
        await using var database = await CreatedDatabase();
        var starts = new StartLog();
        var timers = new List<Guid>();
        var (batcher, gate) = NewBatcherAndGate();
        var crashes = new BatchCrash(point);
        await using (var first = await StartBatchingHost(database, batcher, gate, crashes, starts))
        {
            timers.AddRange(InOwnPartitions(6, gate.HeldTimerId));
            await HoldLane(first, gate);
            foreach (var id in timers)
                await Start(first, id);
            crashes.Arm(_startMessageIds.Skip(1));
            await Eventually.True(() => batcher.Waiting == timers.Count, "every start queued for the next batch");
            gate.Open();

            await Eventually.True(() => crashes.Fired == timers.Count, $"the process crashed at {point} for every message of the batch");
            Assert.Equal(timers.Count, batcher.LargestBatch);

            // What reached the broker stays there through our crash (the in-memory broker dies with this host,
            // RabbitMQ would not): let it be consumed before the host goes away.
            if (point != OutboxFaultPoint.AfterEffectCommitted)
            {
                foreach (var id in timers)
                    await Eventually.True(() => starts.Count(id) == 1, $"timer {id}'s start event reached its consumer");
            }
        }

        // The broker redelivers the unacknowledged messages to the restarted service (batched again).
        var (secondBatcher, secondGate) = NewBatcherAndGate();
        await using var second = await StartBatchingHost(database, secondBatcher, secondGate, starts: starts);
        var startIds = _startMessageIds.Skip(1).ToList();
        for (var i = 0; i < timers.Count; i++)
            await second.Publish(new StartTimer { TimerId = timers[i], Delay = TimeSpan.FromMinutes(10) }, startIds[i]);

        foreach (var id in timers)
            await Eventually.True(() => starts.Count(id) == 1, $"timer {id}'s start event went out");
        await Eventually.True(async () => await second.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId == null)) == 0,
            "every start event's row was sent and deleted");
        foreach (var id in timers)
        {
            Assert.True(await StateIs(second, id, "Running")(), $"timer {id} runs");
            Assert.Equal(1, starts.Count(id));
        }

        Assert.Equal(timers.Count + 1, await InboxMarksOfStarts(second));
        Assert.Equal(timers.Count + 1, await second.Query(db => db.OutboxMessages.CountAsync(x => x.TokenId != null)));
    }

    /// <summary>Throws once at <paramref name="point"/> for each armed message: the process "dies" there.</summary>
    private sealed class BatchCrash(OutboxFaultPoint point) : IOutboxFaultInjector
    {
        private readonly ConcurrentDictionary<Guid, bool> _armed = new();
        private int _fired;

        public int Fired => Volatile.Read(ref _fired);

        public void Arm(IEnumerable<Guid> messageIds)
        {
            foreach (var id in messageIds)
                _armed[id] = true;
        }

        public void At(OutboxFaultPoint at, Guid messageId)
        {
            if (at == point && _armed.TryRemove(messageId, out _))
            {
                Interlocked.Increment(ref _fired);
                throw new SimulatedCrashException(point);
            }
        }
    }

    private static (SagaBatcher Batcher, SagaGate Gate) NewBatcherAndGate() =>
        (new SagaBatcher(batchLimit: 64, lanes: 1), new SagaGate { HeldTimerId = Guid.NewGuid() });

    /// <summary>Starts the held timer and waits until its batch is inside the saga, keeping the lane busy.</summary>
    private async Task HoldLane(MessagingHost host, SagaGate gate)
    {
        await Start(host, gate.HeldTimerId);
        await gate.Entered.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
    }

    private Task<MessagingHost> StartBatchingHost(ITestDatabase database, SagaBatcher batcher, SagaGate gate, IOutboxFaultInjector? faults = null,
        StartLog? starts = null) =>
        StartHost(database, faults: faults, options: o => o.ConsumerHandOffDelay = TimeSpan.FromMinutes(5), configure: x =>
        {
            x.AddSingleton(gate);
            x.AddSingleton(starts ?? new StartLog());
            x.AddConsumer<TimerStartedRecorder>();
            x.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                if (name != TimerEndpoint)
                    return;
                endpoint.PrefetchCount = 64;
                endpoint.ConcurrentMessageLimit = 64;
                var partitioner = _partitioner = endpoint.CreateOrderedPartitioner(64, _ => null, batcher: batcher);
                endpoint.UseOrderedPartitioner<StartTimer>(partitioner, c => c.Message.TimerId);
                endpoint.UseOrderedPartitioner<StopTimer>(partitioner, c => c.Message.TimerId);
                endpoint.UseOrderedPartitioner<TimerElapsed>(partitioner, c => c.Message.TimerId);
            });
        });
}
