namespace Payments.Workflows.Components.Configuration;

/// <summary>Message retry on every receive endpoint (Payments:Retry), for database conflicts and transient errors.</summary>
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
}
