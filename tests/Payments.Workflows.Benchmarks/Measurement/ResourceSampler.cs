namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// Samples, while a run lasts, the outbox backlog (rows not yet deleted) and this process's working set, and
/// measures the process CPU time the run used. The benchmark drives the load from the same process, so CPU and
/// memory include the load generator and the probe; the servers' own CPU is not included.
/// </summary>
public sealed class ResourceSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // The backlog is a COUNT over the outbox table, whose scan grows with the table's churn; four a second were
    // load the service then had to share the database with. Memory, GC and timer lag are sampled every interval.
    private const int BacklogEvery = 4;
    private const int MaxReportedSamples = 60;

    private readonly Func<CancellationToken, Task<DatabaseSample>>? _database;
    private readonly List<double> _checkpointsBeganAt = [];
    private long? _lastCheckpoints;
    private TimeSpan _queryTime;
    private TimeSpan _longestQuery;
    private readonly List<BacklogSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart;
    private readonly IReadOnlyDictionary<string, double> _serversCpuAtStart;
    private readonly TimeSpan _gcPauseAtStart;
    private readonly int _gen2AtStart;
    private long _longestGcPauseTicks;
    private TimeSpan _longestLag;
    private double _longestLagAt;
    private readonly Task _loop;
    private long _peakWorkingSet;
    private long _ticks;

    private ResourceSampler(Func<CancellationToken, Task<DatabaseSample>>? database)
    {
        _database = database;
        using var process = Process.GetCurrentProcess();
        _cpuAtStart = process.TotalProcessorTime;
        _serversCpuAtStart = ServerCpu.Read();
        _gcPauseAtStart = GC.GetTotalPauseDuration();
        _gen2AtStart = GC.CollectionCount(2);
        _peakWorkingSet = process.WorkingSet64;
        _loop = Task.Run(Loop);
    }

    /// <param name="database">
    /// Reads the outbox backlog and the server's count of checkpoints begun so far, once a second: the run reports when
    /// a checkpoint began, to set beside its slowest latency windows.
    /// </param>
    public static ResourceSampler Start(Func<CancellationToken, Task<DatabaseSample>>? database = null) => new(database);

    public async Task<ResourceUsage> Stop()
    {
        await _stop.CancelAsync();
        await _loop;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - _cpuAtStart).TotalSeconds;
        var wall = _wall.Elapsed.TotalSeconds;
        var serversCpu = ServerCpu.Since(_serversCpuAtStart, ServerCpu.Read());
        var peak = Math.Max(Interlocked.Read(ref _peakWorkingSet), process.WorkingSet64);
        lock (_samples)
        {
            var step = Math.Max(1, (int)Math.Ceiling(_samples.Count / (double)MaxReportedSamples));
            return new ResourceUsage(
                Math.Round(wall, 2),
                Math.Round(cpu, 2),
                PercentOfMachine(cpu, wall),
                Mb(peak),
                Mb(process.WorkingSet64),
                _database is null ? null : _samples.Max(s => s.OutboxRows) ?? 0,
                _database is null ? null : _samples.Where((_, i) => i % step == 0).ToList(),
                new GcUsage(
                    Math.Round((GC.GetTotalPauseDuration() - _gcPauseAtStart).TotalMilliseconds, 1),
                    Math.Round(TimeSpan.FromTicks(Interlocked.Read(ref _longestGcPauseTicks)).TotalMilliseconds, 1),
                    GC.CollectionCount(2) - _gen2AtStart,
                    System.Runtime.GCSettings.IsServerGC),
                new StallUsage(Math.Round(_longestLag.TotalMilliseconds, 1), Math.Round(_longestLagAt, 1), _samples.Count == 0 ? 0 : _samples.Max(s => s.PoolThreads)),
                _lastCheckpoints is null ? null : _checkpointsBeganAt.ToList(),
                _database is null ? null : new SamplerQueries(Math.Round(_queryTime.TotalMilliseconds, 1), Math.Round(_longestQuery.TotalMilliseconds, 1)),
                serversCpu.ToDictionary(s => s.Key, s => new ServerCpuUsage(s.Value, PercentOfMachine(s.Value, wall))));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
            await Stop();
        _stop.Dispose();
    }

    private async Task Loop()
    {
        using var process = Process.GetCurrentProcess();
        while (!_stop.IsCancellationRequested)
        {
            process.Refresh();
            var workingSet = process.WorkingSet64;
            if (workingSet > Interlocked.Read(ref _peakWorkingSet))
                Interlocked.Exchange(ref _peakWorkingSet, workingSet);

            long? rows = null;
            if (_database is not null && _ticks++ % BacklogEvery == 0)
            {
                var queryStarted = _wall.Elapsed;
                try
                {
                    var sample = await _database(_stop.Token);
                    rows = sample.OutboxRows;
                    CheckpointsNow(sample.CheckpointsBegun);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }

                // The sampler's own load on the database, reported so a reader can judge what it cost the run.
                var took = _wall.Elapsed - queryStarted;
                _queryTime += took;
                if (took > _longestQuery)
                    _longestQuery = took;
            }

            // The pauses of the latest collection of any kind: sampled, so the longest seen, not surely the longest.
            foreach (var pause in GC.GetGCMemoryInfo(GCKind.Any).PauseDurations)
            {
                if (pause.Ticks > Interlocked.Read(ref _longestGcPauseTicks))
                    Interlocked.Exchange(ref _longestGcPauseTicks, pause.Ticks);
            }

            lock (_samples)
                _samples.Add(new BacklogSample(Math.Round(_wall.Elapsed.TotalSeconds, 2), rows, Mb(workingSet), Mb(GC.GetGCMemoryInfo().HeapSizeBytes), ThreadPool.ThreadCount));

            var sleptFrom = _wall.Elapsed;
            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // How late the timer's continuation ran: a process-wide stall (a starved thread pool, a paused runtime,
            // no CPU for this process) shows here; a stall in a server does not.
            var lag = _wall.Elapsed - sleptFrom - Interval;
            if (lag > _longestLag)
            {
                _longestLag = lag;
                _longestLagAt = sleptFrom.TotalSeconds;
            }
        }
    }

    private void CheckpointsNow(long? count)
    {
        if (count is not { } now)
            return;
        // A rise since the last sample: a checkpoint began within the last second (two in one second count once).
        if (_lastCheckpoints is { } last && now > last)
            lock (_samples)
                _checkpointsBeganAt.Add(Math.Round(_wall.Elapsed.TotalSeconds, 1));
        _lastCheckpoints = now;
    }

    /// <summary>CPU seconds over <paramref name="wall"/> seconds, as a percentage of all the machine's cores.</summary>
    private static double PercentOfMachine(double cpuSeconds, double wall) => Math.Round(cpuSeconds / wall / Environment.ProcessorCount * 100, 1);

    private static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);
}

/// <summary>
/// What the sampler reads from the database, through one context: outbox rows not yet deleted, and the server's count of
/// checkpoints begun so far (null where the server reports none).
/// </summary>
public sealed record DatabaseSample(long OutboxRows, long? CheckpointsBegun);

/// <summary>One sample: outbox rows not yet deleted (every fourth sample; null in between), the process working set, the managed heap after the last GC, and thread-pool threads.</summary>
public sealed record BacklogSample(double AtSeconds, long? OutboxRows, double WorkingSetMb, double GcHeapMb, int PoolThreads);

/// <summary>
/// How long the sampler ran, the CPU this process used meanwhile (seconds, and percent of all cores), its peak working set, the outbox backlog,
/// when the database server began a checkpoint (seconds into the run, to within the one-second sampling; null where
/// the server reports none), and the CPU the local PostgreSQL and RabbitMQ servers used meanwhile (empty where they
/// are not local processes).
/// </summary>
public sealed record ResourceUsage(
    double WallSeconds,
    double CpuSeconds,
    double CpuPercentOfMachine,
    double PeakWorkingSetMb,
    double EndWorkingSetMb,
    long? OutboxBacklogMax,
    IReadOnlyList<BacklogSample>? Samples,
    GcUsage Gc,
    StallUsage Stalls,
    IReadOnlyList<double>? CheckpointsBeganAtSeconds,
    SamplerQueries? SamplerQueries,
    IReadOnlyDictionary<string, ServerCpuUsage> ServersCpu);

/// <summary>CPU a local server used during the run: seconds, and percent of all cores.</summary>
public sealed record ServerCpuUsage(double Seconds, double PercentOfMachine);

/// <summary>How long the sampler's own database queries (the backlog count, the checkpoint count) took in all, and the longest.</summary>
public sealed record SamplerQueries(double TotalMs, double LongestMs);

/// <summary>
/// Garbage collection during the run: total time the runtime was paused for it, the longest single pause seen by the
/// sampler (it reads the latest collection's pauses every 250 ms), gen-2 collections, and which collector ran.
/// </summary>
public sealed record GcUsage(double PauseMs, double LongestPauseSeenMs, int Gen2Collections, bool Server);

/// <summary>
/// The longest the sampler's 250 ms timer ran late (and when, in seconds into the run): how long this process could not
/// run a ready continuation. With the most thread-pool threads seen, it tells a starved pool from a stall elsewhere.
/// </summary>
public sealed record StallUsage(double LongestTimerLagMs, double LongestTimerLagAtSeconds, int MostPoolThreads);
