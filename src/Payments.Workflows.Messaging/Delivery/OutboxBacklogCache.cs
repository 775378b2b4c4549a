namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// The backlog for the gauges: read from the database at most once per <see cref="MaxAge"/>, however many instruments
/// and exporters ask. A collection waits up to <see cref="LongestWait"/> for a fresh read and otherwise reports the last
/// one; a read that fails (database away) reports nothing until the next attempt, and never throws into the exporter.
/// </summary>
internal sealed class OutboxBacklogCache(IOutboxBacklogReader reader, TimeProvider timeProvider, ILogger logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private OutboxBacklog? _last;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private Task? _reading;

    /// <summary>The latest backlog, or null while the database cannot be read.</summary>
    public OutboxBacklog? Current()
    {
        Task reading;
        lock (_gate)
        {
            if (timeProvider.GetUtcNow() - _checkedAt < MaxAge)
                return _last;
            reading = _reading ??= Task.Run(Refresh);
        }

        // A metrics collection is synchronous; waiting briefly lets a scrape see numbers that are seconds old, not one
        // scrape interval old. A slow database only delays the answer by LongestWait.
        reading.Wait(LongestWait);
        lock (_gate)
            return _last;
    }

    private async Task Refresh()
    {
        OutboxBacklog? backlog = null;
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            backlog = await reader.Read(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "Outbox backlog could not be read for the metrics; reported as unknown");
        }
        finally
        {
            lock (_gate)
            {
                _last = backlog;
                _checkedAt = timeProvider.GetUtcNow();
                _reading = null;
            }
        }
    }
}
