using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// Base of the scenario classes: a derived class picks the database (and, optionally, a broker instead of the
/// in-memory transport); xunit creates one instance per test, so each test gets its own of both.
/// </summary>
public abstract class MessagingScenarios : IAsyncDisposable
{
    /// <summary>How far a fake clock moves per look while a test waits: the hosts' delivery poll interval.</summary>
    protected static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private ITestTransport? _transport;

    protected abstract ITestDatabase NewDatabase();

    /// <summary>The in-memory transport unless overridden.</summary>
    protected virtual Task<ITestTransport?> NewTransport() => Task.FromResult<ITestTransport?>(null);

    protected async Task<ITestDatabase> CreatedDatabase()
    {
        var database = NewDatabase();
        await database.Create();
        return database;
    }

    protected async Task<MessagingHost> StartHost(
        ITestDatabase database,
        Action<InboxOutboxOptions>? options = null,
        IOutboxFaultInjector? faults = null,
        bool recordDeliveries = true,
        DeliveryLog? deliveries = null,
        ExpiryLog? expiries = null,
        TimeProvider? clock = null,
        DatabaseOutage? outage = null,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        _transport ??= await NewTransport();
        var transport = _transport;
        return await MessagingHost.Start(database, options, faults, Configure, recordDeliveries, deliveries, expiries, outage);

        void Configure(IBusRegistrationConfigurator configurator)
        {
            transport?.Configure(configurator);
            configure?.Invoke(configurator);

            // The messaging services read the time, and wait, on this clock instead of the system's.
            if (clock is not null)
                configurator.Replace(ServiceDescriptor.Singleton(typeof(TimeProvider), clock));
        }
    }

    /// <summary>The host's delivery service, so a test can run a pass itself at a moment of its choosing.</summary>
    private protected static OutboxDeliveryService<TestDbContext> DeliveryService(MessagingHost host) =>
        host.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService<TestDbContext>>().Single();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, moving <paramref name="clock"/> on by <see cref="Tick"/> before
    /// each look: due times come and the background services' waits elapse as if that much time had passed.
    /// </summary>
    protected static Task EventuallyAsTimePasses(FakeTimeProvider clock, Func<Task<bool>> condition, string what) =>
        Eventually.True(() =>
        {
            clock.Advance(Tick);
            return condition();
        }, what);

    protected static Task EventuallyAsTimePasses(FakeTimeProvider clock, Func<bool> condition, string what) =>
        EventuallyAsTimePasses(clock, () => Task.FromResult(condition()), what);

    public async ValueTask DisposeAsync()
    {
        if (_transport is not null)
            await _transport.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A broker for the scenario hosts, isolated per test (e.g. its own RabbitMQ virtual host).</summary>
public interface ITestTransport : IAsyncDisposable
{
    void Configure(IBusRegistrationConfigurator configurator);
}
