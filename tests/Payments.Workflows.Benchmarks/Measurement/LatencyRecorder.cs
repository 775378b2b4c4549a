using System.Collections.Concurrent;
using HdrHistogram;

namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// Latencies in microseconds (1 µs to 1 h, 3 significant digits), recorded from many threads: over the whole run,
/// and per <see cref="Window"/> of the run by the time each was recorded, to show when a tail happened.
/// </summary>
public sealed class LatencyRecorder
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly LongConcurrentHistogram _histogram = NewHistogram();
    private readonly ConcurrentDictionary<long, LongConcurrentHistogram> _windows = new();
    private readonly long _origin = Stopwatch.GetTimestamp();

    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 1, _histogram.HighestTrackableValue);
        _histogram.RecordValue(micros);
        var window = (long)(Stopwatch.GetElapsedTime(_origin) / Window);
        _windows.GetOrAdd(window, static _ => NewHistogram()).RecordValue(micros);
    }

    public LatencySummary Summary() => Summarise(_histogram);

    /// <summary>One summary per window that recorded anything, in order; each starts <see cref="LatencyWindow.AtSeconds"/> into the run.</summary>
    public IReadOnlyList<LatencyWindow> OverTime() =>
        _windows.OrderBy(w => w.Key).Select(w => new LatencyWindow(w.Key * Window.TotalSeconds, Summarise(w.Value))).ToList();

    private static LongConcurrentHistogram NewHistogram() => new(1, TimeSpan.FromHours(1).Ticks / 10, 3);

    private static LatencySummary Summarise(HistogramBase histogram) => new(
        histogram.TotalCount,
        Ms(histogram.GetValueAtPercentile(50)),
        Ms(histogram.GetValueAtPercentile(95)),
        Ms(histogram.GetValueAtPercentile(99)),
        Ms(histogram.GetMaxValue()));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
}

public sealed record LatencySummary(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

public sealed record LatencyWindow(double AtSeconds, LatencySummary Latency);
