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

    /// <summary>Waits until notified or <paramref name="timeout"/> passes; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
