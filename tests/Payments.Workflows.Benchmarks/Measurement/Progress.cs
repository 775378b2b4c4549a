namespace Payments.Workflows.Benchmarks.Measurement;

public static class Progress
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Waits for <paramref name="done"/>, printing progress every few seconds; fails when
    /// <paramref name="completed"/> stops moving for 90 s (a lost message or a stuck consumer).
    /// </summary>
    public static async Task Wait(Task done, Func<long> completed, long expected, string what, CancellationToken cancellationToken)
    {
        var last = -1L;
        var lastMoved = DateTime.UtcNow;
        var lastPrinted = DateTime.UtcNow;
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, Task.Delay(500, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            var now = completed();
            if (now != last)
            {
                last = now;
                lastMoved = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastMoved > StallTimeout)
            {
                throw new TimeoutException($"{what}: no progress for {StallTimeout.TotalSeconds:0} s at {now} of {expected}.");
            }

            if (DateTime.UtcNow - lastPrinted > TimeSpan.FromSeconds(5))
            {
                lastPrinted = DateTime.UtcNow;
                Console.WriteLine($"    {what}: {now}/{expected}");
            }
        }

        await done;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> Until(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition(cancellationToken))
                return true;
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(100, cancellationToken);
        }
    }
}
