namespace Payments.Workflows.Testing;

/// <summary>
/// Waits on a condition by polling it until it holds or a timeout passes (never a bare sleep). A timeout fails with
/// what was waited for and the last value seen.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says otherwise; generous, as a loaded machine is slow.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    /// <param name="what">What is waited for, as it reads after "waited for": "payment 42 to reach Captured".</param>
    /// <param name="describe">How the last result reads in the failure; its ToString() by default.</param>
    /// <param name="cancellationToken">Cancels the wait; the probe gets a token that also fires at the timeout.</param>
    /// <exception cref="TimeoutException">The condition did not hold within the timeout; names the last result.</exception>
    public static async Task<T> Matches<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        string what,
        TimeSpan? timeout = null,
        Func<T, string>? describe = null,
        CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var seen = false;
        T last = default!;
        var poll = FirstPoll;
        try
        {
            while (true)
            {
                last = await probe(deadline.Token);
                seen = true;
                if (done(last))
                    return last;

                await Task.Delay(poll, deadline.Token);
                poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var lastSeen = !seen ? "nothing" : describe is not null ? describe(last) : Describe(last);
            throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last seen: {lastSeen}.");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after the timeout.</summary>
    public static Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Matches(_ => condition(), held => held, what, timeout);

    /// <inheritdoc cref="True(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), what, timeout);

    /// <summary>
    /// Polls <paramref name="condition"/> for at most <paramref name="timeout"/>: true as soon as it holds, false if it
    /// never did. For checks that something does NOT happen (<c>Assert.False(await Eventually.Holds(…))</c>).
    /// </summary>
    public static async Task<bool> Holds(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        try
        {
            await True(condition, "the condition", timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => text,
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Take(20))}]",
        _ => value.ToString() ?? "null",
    };
}
