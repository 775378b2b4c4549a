using Microsoft.Extensions.Hosting;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Keeps the host from disposing its services while a received message is still being handled. MassTransit's own
/// stop waits for consumers under way, but an endpoint stop that ends early (it swallows an
/// <see cref="OperationCanceledException"/> from any part of the transport's shutdown) lets the host go on and dispose
/// the container under them: a consumer that had already called out then fails, and its message is handled again
/// elsewhere. Registered to stop right after the bus, this waits until every receive has finished (acknowledged or
/// returned), within the host's shutdown timeout.
/// </summary>
internal sealed class ReceiveDrain(ILogger<ReceiveDrain> logger) : IReceiveObserver, IHostedService
{
    private readonly Lock _gate = new();
    private int _underWay;
    private TaskCompletionSource? _idle;

    /// <summary>Receives that have started and not finished.</summary>
    public int UnderWay
    {
        get
        {
            lock (_gate)
                return _underWay;
        }
    }

    public Task PreReceive(ReceiveContext context)
    {
        lock (_gate)
            _underWay++;
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Finished();
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Finished();
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the receives under way when the bus stopped, until the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task idle;
        int underWay;
        lock (_gate)
        {
            underWay = _underWay;
            if (underWay == 0)
                return;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        logger.LogInformation("Waiting for {Count} messages under way to finish before the service stops", underWay);
        try
        {
            await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Every message under way has finished");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("{Count} messages were still under way at the end of the shutdown timeout; the broker delivers them again",
                UnderWay);
        }
    }

    private void Finished()
    {
        lock (_gate)
        {
            _underWay--;
            if (_underWay == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }
}
