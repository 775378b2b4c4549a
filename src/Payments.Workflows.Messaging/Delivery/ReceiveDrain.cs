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
internal sealed class ReceiveDrain(IOptions<MassTransitHostOptions> hostOptions, ILogger<ReceiveDrain> logger) : IReceiveObserver, IHostedService
{
    // How long past the consumers' own stop timeout a stop waits for receives still under way.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();

    // By receive, not a count: a fault reported for a receive whose start was not (an observer before this one threw)
    // must not unbalance it.
    private readonly HashSet<ReceiveContext> _underWay = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource? _idle;

    /// <summary>Receives that have started and not finished.</summary>
    public int UnderWay
    {
        get
        {
            lock (_gate)
                return _underWay.Count;
        }
    }

    public Task PreReceive(ReceiveContext context)
    {
        lock (_gate)
            _underWay.Add(context);
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Finished(context);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Finished(context);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits for the receives under way when the bus stopped: at most the consumers' stop timeout and a margin, and
    /// never past the host's shutdown timeout.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task idle;
        int underWay;
        lock (_gate)
        {
            underWay = _underWay.Count;
            if (underWay == 0)
                return;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        var longest = (hostOptions.Value.ConsumerStopTimeout ?? TimeSpan.FromSeconds(25)) + Margin;
        logger.LogInformation("Waiting up to {Seconds} s for {Count} messages under way to finish before the service stops",
            longest.TotalSeconds, underWay);
        try
        {
            await idle.WaitAsync(longest, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Every message under way has finished");
        }
        catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("{Count} messages were still under way when the service stopped; the broker delivers them again",
                UnderWay);
        }
    }

    private void Finished(ReceiveContext context)
    {
        lock (_gate)
        {
            if (!_underWay.Remove(context) || _underWay.Count > 0 || _idle is not { } idle)
                return;
            _idle = null;
            idle.TrySetResult();
        }
    }
}
