using System.Diagnostics;
using HdrHistogram;

namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>Latencies in microseconds (1 µs to 1 h, 3 significant digits), recorded from many threads.</summary>
public sealed class LatencyRecorder
{
    private readonly LongConcurrentHistogram _histogram = new(1, TimeSpan.FromHours(1).Ticks / 10, 3);

    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public void Record(TimeSpan latency) =>
        _histogram.RecordValue(Math.Clamp((long)latency.TotalMicroseconds, 1, _histogram.HighestTrackableValue));

    public LatencySummary Summary() => new(
        _histogram.TotalCount,
        Ms(_histogram.GetValueAtPercentile(50)),
        Ms(_histogram.GetValueAtPercentile(95)),
        Ms(_histogram.GetValueAtPercentile(99)),
        Ms(_histogram.GetMaxValue()));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
}

public sealed record LatencySummary(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
