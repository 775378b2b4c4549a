using System.Collections;
using System.Diagnostics;

namespace Payments.Workflows.Testing;

/// <summary>
/// The spans a host exported, for OpenTelemetry's in-memory exporter (<c>AddInMemoryExporter(recorded)</c>). The
/// exporter adds from the threads that end activities while a test reads, so every access takes a lock.
/// </summary>
public sealed class RecordedActivities : ICollection<Activity>
{
    private readonly List<Activity> _activities = [];

    public int Count
    {
        get
        {
            lock (_activities)
                return _activities.Count;
        }
    }

    public bool IsReadOnly => false;

    /// <summary>A copy of what was recorded so far.</summary>
    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_activities)
            return [.. _activities];
    }

    /// <summary>The spans of one trace.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. Snapshot().Where(a => a.TraceId == traceId)];

    public void Add(Activity item)
    {
        lock (_activities)
            _activities.Add(item);
    }

    public void Clear()
    {
        lock (_activities)
            _activities.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_activities)
            return _activities.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_activities)
            _activities.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_activities)
            return _activities.Remove(item);
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
