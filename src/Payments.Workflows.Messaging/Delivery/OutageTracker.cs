using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// The outage state of one background loop (delivery, delivered marks, cleanup). A transient fault (the database or
/// the broker is away) pauses the loop: one warning when the outage starts, one information when the next pass
/// succeeds, nothing per attempt in between, and an exponential back-off with jitter up to a cap. A permanent fault
/// (a bug, a broken statement) is logged as an error every time, with the same back-off.
/// </summary>
/// <remarks>Used by one loop at a time: not thread-safe, except <see cref="IsPaused"/>, which anyone may read.</remarks>
internal sealed class OutageTracker(
    string service,
    string metricName,
    TimeSpan firstDelay,
    TimeSpan maxDelay,
    TimeProvider timeProvider,
    MessagingMetrics metrics,
    ILogger logger)
{
    private DateTimeOffset? _pausedAt;
    private int _failures;
    private volatile bool _paused;

    public bool IsPaused => _paused;

    /// <summary>
    /// A pass failed with <paramref name="exception"/>. Returns how long to wait before the next one: a transient fault
    /// pauses the loop (logged once per outage), a permanent one is logged as an error.
    /// </summary>
    public TimeSpan Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (TransientFaults.Classify(exception) is { } kind)
            return Paused(kind, exception);

        var wait = NextWait();
        logger.LogError(exception, "{Service} failed ({Failures} in a row); next attempt in {Delay}", service, _failures, wait);
        return wait;
    }

    /// <summary>
    /// The loop cannot work because <paramref name="kind"/> is unavailable (seen in <paramref name="exception"/>, or
    /// reported by a health check when there is none). Returns how long to wait before trying again.
    /// </summary>
    public TimeSpan Paused(TransientFaultKind kind, Exception? exception)
    {
        var wait = NextWait();
        if (_pausedAt is null)
        {
            _pausedAt = timeProvider.GetUtcNow();
            _paused = true;
            metrics.OutageStarted(metricName);
            logger.LogWarning(exception, "{Service} paused: {Resource} unavailable ({Fault}); retrying with back-off up to {MaxDelay}",
                service, Resource(kind), kind, maxDelay);
        }
        else
        {
            logger.LogDebug("{Service} still paused: attempt {Attempt} failed ({Fault}); next attempt in {Delay}", service, _failures, kind, wait);
        }

        return wait;
    }

    /// <summary>A pass succeeded: ends an outage (logged once, with its length) and resets the back-off.</summary>
    public void Succeeded()
    {
        _failures = 0;
        if (_pausedAt is not { } pausedAt)
            return;

        _pausedAt = null;
        _paused = false;
        metrics.OutageEnded(metricName);
        var duration = timeProvider.GetUtcNow() - pausedAt;
        logger.LogInformation("{Service} resumed after {Duration}", service, TimeSpan.FromMilliseconds(Math.Round(duration.TotalMilliseconds)));
    }

    private TimeSpan NextWait()
    {
        _failures++;
        return Jittered(Exponential(firstDelay, _failures, maxDelay));
    }

    /// <summary><paramref name="first"/> doubled per attempt after the first, never above <paramref name="max"/>.</summary>
    internal static TimeSpan Exponential(TimeSpan first, int attempt, TimeSpan max)
    {
        if (first > max)
            first = max;
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(first.Ticks * factor, max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    // Between half and all of the delay: instances that lost the database together do not all come back in step,
    // and the wait never exceeds the cap.
    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.5 + (Random.Shared.NextDouble() * 0.5));

    private static string Resource(TransientFaultKind kind) => kind switch
    {
        TransientFaultKind.Database or TransientFaultKind.Contention => "database",
        TransientFaultKind.Broker => "broker",
        TransientFaultKind.Timeout => "connection (timed out)",
        _ => "connection",
    };
}
