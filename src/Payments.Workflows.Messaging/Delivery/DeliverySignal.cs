namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Wakes the delivery service when a local commit stored outbox rows, so they leave at once instead of at the
/// next poll. Signals coalesce: many commits during one delivery pass cause one more pass.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the pending wake-up covers this commit too.
        }
    }

    /// <summary>Waits until notified or <paramref name="timeout"/> passes on <paramref name="timeProvider"/>; true when notified.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var notified = _signal.WaitAsync(stop.Token);
        var elapsed = Task.Delay(timeout, timeProvider, stop.Token);
        await Task.WhenAny(notified, elapsed).ConfigureAwait(false);

        // Withdraw whichever wait is still pending; a wake-up that won the race is kept, not lost.
        await stop.CancelAsync().ConfigureAwait(false);
        await notified.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return notified.IsCompletedSuccessfully;
    }
}
