namespace Payments.Workflows.IntegrationTests.Fixtures;

/// <summary>Waits on a condition, polling, until it holds or a timeout passes (never a bare sleep).</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>; names the last result.</exception>
    public static async Task<T> MatchesAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        T last = default!;
        try
        {
            while (true)
            {
                last = await probe(deadline.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#}s for {what}; last seen: {last?.ToString() ?? "nothing"}.");
        }
    }
}
