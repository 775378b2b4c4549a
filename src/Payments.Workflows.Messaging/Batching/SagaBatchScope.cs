namespace Payments.Workflows.Messaging.Batching;

/// <summary>
/// A consume-context payload inside a batch: the saga repository loads every saga of the batch with one locking
/// query the first time one is asked for, and leaves its writes to the batch's one save.
/// </summary>
public sealed class SagaBatchScope(IReadOnlyList<Guid> keys)
{
    private readonly Dictionary<Guid, object> _loaded = [];

    /// <summary>The sagas the batch's messages are for, in ascending order.</summary>
    public IReadOnlyList<Guid> Keys { get; } = keys.Distinct().Order().ToArray();

    /// <summary>True once the batch's sagas were read (whatever was found).</summary>
    public bool Prefetched { get; private set; }

    /// <summary>True once a read of them all was made, or found impossible on this provider.</summary>
    public bool Attempted { get; private set; }

    public void Loaded(IEnumerable<(Guid Key, object Instance)> instances)
    {
        foreach (var (key, instance) in instances)
            _loaded[key] = instance;
        Prefetched = Attempted = true;
    }

    public void Unsupported() => Attempted = true;

    /// <summary>The saga read for <paramref name="key"/>; null when the prefetch found none.</summary>
    public object? Find(Guid key) => _loaded.GetValueOrDefault(key);

    public bool Covers(Guid key) => Prefetched && Keys.Contains(key);
}

/// <summary>Carried on a partitioned message when its endpoint batches: its saga's key and the endpoint's batcher.</summary>
public sealed record BatchSlot(Guid Key, SagaBatcher Batcher);
