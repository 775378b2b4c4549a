using System.Collections.Concurrent;

namespace Payments.Workflows.Benchmarks.LedgerPosting;

/// <summary>
/// The benchmark's view of the ledger-posting run: when each posting was first sent, which events arrived for it,
/// and the in-flight window the load generator waits on.
/// </summary>
public sealed class LedgerProbe
{
    private readonly ConcurrentDictionary<Guid, Tracked> _postings = new();
    private long _unknownEvents;
    private long _events;

    public long UnknownEvents => Interlocked.Read(ref _unknownEvents);

    public long Events => Interlocked.Read(ref _events);

    public IReadOnlyCollection<Guid> Keys => (IReadOnlyCollection<Guid>)_postings.Keys;

    public void Sent(Guid key, Phase phase) => _postings[key] = new Tracked(phase, Stopwatch.GetTimestamp());

    public void Observed(Guid key, Guid? eventMessageId)
    {
        Interlocked.Increment(ref _events);
        if (!_postings.TryGetValue(key, out var tracked))
        {
            Interlocked.Increment(ref _unknownEvents);
            return;
        }

        lock (tracked.EventIds)
            tracked.EventIds.Add(eventMessageId ?? Guid.Empty);
        if (Interlocked.Exchange(ref tracked.Seen, 1) == 0)
            tracked.Phase.Completed(tracked.SentAt);
    }

    /// <summary>Keys whose event never arrived, and keys whose event arrived under more than one message id.</summary>
    public (int Missing, int SeveralEventIds) EventCheck() =>
        (_postings.Values.Count(t => Volatile.Read(ref t.Seen) == 0),
         _postings.Values.Count(t => { lock (t.EventIds) return t.EventIds.Count > 1; }));

    private sealed class Tracked(Phase phase, long sentAt)
    {
        public readonly Phase Phase = phase;
        public readonly long SentAt = sentAt;
        public readonly HashSet<Guid> EventIds = [];
        public int Seen;
    }

    /// <summary>One measured (or warm-up) batch: its window, latency and completion.</summary>
    public sealed class Phase(int expected, int inFlight)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _completed;
        private long _lastCompletedAt;

        public SemaphoreSlim Window { get; } = new(inFlight);

        public LatencyRecorder Latency { get; } = new();

        public int CompletedCount => Volatile.Read(ref _completed);

        public long LastCompletedAt => Interlocked.Read(ref _lastCompletedAt);

        public Task Done => _done.Task;

        public void Completed(long sentAt)
        {
            Latency.RecordSince(sentAt);
            Interlocked.Exchange(ref _lastCompletedAt, Stopwatch.GetTimestamp());
            Window.Release();
            if (Interlocked.Increment(ref _completed) == expected)
                _done.TrySetResult();
        }
    }
}
