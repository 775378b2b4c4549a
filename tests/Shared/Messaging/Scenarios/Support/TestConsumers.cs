using System.Collections.Concurrent;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

public sealed class DoWorkConsumer(TestDbContext db) : IConsumer<DoWork>
{
    public async Task Consume(ConsumeContext<DoWork> context)
    {
        db.Effects.Add(new WorkEffect { Key = context.Message.Key });

        for (var i = 0; i < context.Message.Events; i++)
            await context.Publish(new WorkDone { Key = context.Message.Key, Index = i });

        if (context.Message.Fail)
            throw new InvalidOperationException($"Work {context.Message.Key} failed on purpose.");
    }
}

/// <summary>Consumes <see cref="DoBatchWork"/> in batches: a row and an event per message; remembers each batch's size.</summary>
public sealed class DoBatchWorkConsumer(TestDbContext db, BatchLog batches) : IConsumer<Batch<DoBatchWork>>
{
    public const int MessageLimit = 20;

    public async Task Consume(ConsumeContext<Batch<DoBatchWork>> context)
    {
        batches.Record(context.Message.Length);
        foreach (var message in context.Message)
        {
            db.Effects.Add(new WorkEffect { Key = message.Message.Key });
            await context.Publish(new WorkDone { Key = message.Message.Key });
        }
    }
}

public sealed class BatchLog
{
    private readonly ConcurrentQueue<int> _sizes = new();

    public IReadOnlyCollection<int> Sizes => _sizes;

    public void Record(int size) => _sizes.Enqueue(size);
}

/// <summary>What a downstream consumer saw: every WorkDone it handled and whether the effect was committed by then.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentQueue<(string Key, int Index, bool EffectVisible)> _entries = new();

    public IReadOnlyCollection<(string Key, int Index, bool EffectVisible)> Entries => _entries;

    public void Record(string key, int index, bool effectVisible) => _entries.Enqueue((key, index, effectVisible));

    public int Count(string key) => _entries.Count(x => x.Key == key);
}

public sealed class WorkDoneRecorder(IDbContextFactory<TestDbContext> factory, DeliveryLog log) : IConsumer<WorkDone>
{
    public async Task Consume(ConsumeContext<WorkDone> context)
    {
        // A separate connection: sees only what the producer committed.
        await using var db = await factory.CreateDbContextAsync(context.CancellationToken);
        var visible = await db.Effects.AnyAsync(x => x.Key == context.Message.Key, context.CancellationToken);
        log.Record(context.Message.Key, context.Message.Index, visible);
    }
}

public sealed class TimerExpiredRecorder(ExpiryLog log) : IConsumer<TimerExpired>
{
    public Task Consume(ConsumeContext<TimerExpired> context)
    {
        log.Record(context.Message.TimerId);
        return Task.CompletedTask;
    }
}

public sealed class ExpiryLog
{
    private readonly ConcurrentQueue<Guid> _expired = new();

    public void Record(Guid timerId) => _expired.Enqueue(timerId);

    public int Count(Guid timerId) => _expired.Count(x => x == timerId);
}

/// <summary>Holds <see cref="DoGatedWork"/> consumers until it is opened (or the bus stops); counts who arrived.</summary>
public sealed class WorkGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public void Open() => _open.TrySetResult();

    public async Task Pass(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _arrived);
        await _open.Task.WaitAsync(cancellationToken);
    }
}

public sealed class DoGatedWorkConsumer(TestDbContext db, WorkGate gate) : IConsumer<DoGatedWork>
{
    public async Task Consume(ConsumeContext<DoGatedWork> context)
    {
        await gate.Pass(context.CancellationToken);
        db.Effects.Add(new WorkEffect { Key = context.Message.Key });
    }
}

/// <summary>Records each <see cref="TimerStarted"/> event that arrives, by timer and MessageId.</summary>
public sealed class TimerStartedRecorder(StartLog log) : IConsumer<TimerStarted>
{
    public Task Consume(ConsumeContext<TimerStarted> context)
    {
        log.Record(context.Message.TimerId, context.MessageId);
        return Task.CompletedTask;
    }
}

public sealed class StartLog
{
    private readonly ConcurrentQueue<(Guid TimerId, Guid? MessageId)> _started = new();

    public void Record(Guid timerId, Guid? messageId) => _started.Enqueue((timerId, messageId));

    /// <summary>Distinct start events of the timer (a start applied twice would publish two, under two MessageIds).</summary>
    public int Count(Guid timerId) => _started.Where(x => x.TimerId == timerId).Select(x => x.MessageId).Distinct().Count();
}
