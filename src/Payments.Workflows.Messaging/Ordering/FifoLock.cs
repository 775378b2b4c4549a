namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// An async lock that admits callers strictly in the order they called <see cref="EnterAsync"/>: the caller joins
/// the queue before the call returns, so whoever calls first is admitted first.
/// </summary>
internal sealed class FifoLock
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _queue = new();
    private bool _held;

    public Task EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue(waiter);
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(waiter, cancellationToken) : waiter.Task;
    }

    public void Exit()
    {
        lock (_gate)
        {
            // Hand the lock to the first waiter that has not given up; it stays held.
            while (_queue.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                    return;
            }

            _held = false;
        }
    }

    private static async Task WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A waiter cancelled here is skipped by Exit; one admitted first keeps the lock and must exit it.
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
            await waiter.Task.ConfigureAwait(false);
    }
}
