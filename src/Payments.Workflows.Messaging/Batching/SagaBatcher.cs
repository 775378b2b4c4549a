using Payments.Workflows.Messaging.Delivery;

namespace Payments.Workflows.Messaging.Batching;

/// <summary>
/// Group commit for a partitioned saga endpoint: messages of different sagas that reach the inbox/outbox while a
/// batch is committing run together in the next batch, in one transaction. There is no timer: a message that finds
/// a lane free starts a batch at once (a batch of one at low load), and whatever arrives meanwhile waits for the
/// next. Each lane runs one batch at a time; the member that leads a batch lends it its scope and DbContext.
/// The partitioner keeps a saga's messages apart (one at a time, in delivery order), so a batch never holds two
/// messages of one saga, nor two copies of one message. See README.md, "Batched saga execution".
/// </summary>
public sealed class SagaBatcher
{
    private readonly object _gate = new();
    private readonly Queue<IBatchMember> _pending = new();
    private int _running;

    public SagaBatcher(int batchLimit, int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchLimit, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        BatchLimit = batchLimit;
        Lanes = lanes;
    }

    /// <summary>Most messages in one batch.</summary>
    public int BatchLimit { get; }

    /// <summary>Batches running at once.</summary>
    public int Lanes { get; }

    /// <summary>Messages queued for the next batch.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>Batches run so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>The most messages one batch has held so far.</summary>
    public int LargestBatch => Volatile.Read(ref _largest);

    private long _batches;
    private int _largest;

    internal void Ran(int size, int fallbacks)
    {
        Interlocked.Increment(ref _batches);
        int largest;
        while (size > (largest = Volatile.Read(ref _largest)) && Interlocked.CompareExchange(ref _largest, size, largest) != largest)
        {
        }

        MessagingMetrics.SagaBatchRan(size, fallbacks);
    }

    /// <summary>
    /// Queues <paramref name="member"/>. Returns the batch it must lead now (it is the first of it), or null: then
    /// its <see cref="IBatchMember.Outcome"/> tells it later whether to lead a batch or what became of it.
    /// </summary>
    internal IReadOnlyList<IBatchMember>? Join(IBatchMember member)
    {
        lock (_gate)
        {
            if (_running >= Lanes)
            {
                _pending.Enqueue(member);
                return null;
            }

            _running++;
            var batch = new List<IBatchMember>(Math.Min(BatchLimit, _pending.Count + 1)) { member };
            while (batch.Count < BatchLimit && _pending.TryDequeue(out var next))
                batch.Add(next);
            return batch;
        }
    }

    /// <summary>
    /// A lane's batch is over (committed or not): the messages queued meanwhile become the next batch, led by the
    /// first of them, or the lane goes idle.
    /// </summary>
    internal void Finished()
    {
        List<IBatchMember>? next = null;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                _running--;
                return;
            }

            next = new List<IBatchMember>(Math.Min(BatchLimit, _pending.Count));
            while (next.Count < BatchLimit && _pending.TryDequeue(out var member))
                next.Add(member);
        }

        next[0].Lead(next);
    }
}
