namespace Payments.Workflows.Components.Configuration;

/// <summary>
/// Message retry on every receive endpoint (Payments:Retry): a few quick retries for any failure, then, for a fault
/// that is an outage rather than the message's own (the database, the broker or the acquirer unreachable), slower
/// retries that hold the message until the outage is over instead of moving it to its <c>_error</c> queue.
/// </summary>
public sealed class MessageRetryOptions
{
    /// <summary>One immediate retry, then backing off to a second: seven retries within about two seconds.</summary>
    public static IReadOnlyList<TimeSpan> DefaultIntervals { get; } =
        [.. new[] { 0, 10, 50, 100, 250, 500, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>
    /// The wait before each retry (Payments__Retry__Intervals__0, __1, …); unset means <see cref="DefaultIntervals"/>.
    /// Null rather than the defaults because configuration binding appends to an array it finds filled.
    /// </summary>
    public TimeSpan[]? Intervals { get; set; }

    public IReadOnlyList<TimeSpan> IntervalsOrDefault => Intervals ?? DefaultIntervals;

    /// <summary>The first wait once the quick retries have not outlasted an outage; it doubles from there.</summary>
    public TimeSpan OutageMinInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two tries during an outage.</summary>
    public TimeSpan OutageMaxInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a message is held through an outage before it is given up to its <c>_error</c> queue. Below
    /// RabbitMQ's consumer timeout (30 minutes by default), which would otherwise close the channel under it.
    /// </summary>
    public TimeSpan OutageHoldLimit { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>Tries during an outage that fit in <see cref="OutageHoldLimit"/>, the waits doubling up to <see cref="OutageMaxInterval"/>.</summary>
    public int OutageRetryLimit
    {
        get
        {
            var (tries, waited, wait) = (0, TimeSpan.Zero, OutageMinInterval);
            while (waited + wait <= OutageHoldLimit && tries < 10_000)
            {
                (tries, waited) = (tries + 1, waited + wait);
                wait = wait * 2 < OutageMaxInterval ? wait * 2 : OutageMaxInterval;
            }

            return Math.Max(tries, 1);
        }
    }
}
