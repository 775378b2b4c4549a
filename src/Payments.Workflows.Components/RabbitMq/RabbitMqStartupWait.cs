using Microsoft.Extensions.Hosting;

namespace Payments.Workflows.Components.RabbitMq;

/// <summary>
/// Once every hosted service has started (the web server is listening), waits a bounded time for the bus to connect
/// and declare its topology. With the broker up, start-up completes with every queue bound, so nothing sent right
/// after start is dropped by an exchange with no queue behind it; with the broker down, start-up completes after
/// <see cref="Timeout"/> anyway: the API accepts into the outbox, readiness reports Degraded, and the bus connects
/// when the broker comes.
/// </summary>
internal sealed class RabbitMqStartupWait(IBusControl bus, ILogger<RabbitMqStartupWait> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var status = await bus.WaitForHealthStatus(BusHealthStatus.Healthy, Timeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (status != BusHealthStatus.Healthy)
            logger.LogWarning("RabbitMQ is not reachable {Seconds} s after start-up; commands are kept in the outbox until it is", Timeout.TotalSeconds);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
