namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>Counts messages the service's endpoints received (every delivery, duplicates included), leaving out the benchmark's own probe endpoint.</summary>
public sealed class ReceiveCounter(string probeQueue) : IReceiveObserver
{
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        if (!context.InputAddress.AbsolutePath.EndsWith("/" + probeQueue, StringComparison.Ordinal))
            Interlocked.Increment(ref _received);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
