using MassTransit;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

/// <summary>
/// Base of the scenario classes: a derived class picks the database (and, optionally, a broker instead of the
/// in-memory transport); xunit creates one instance per test, so each test gets its own of both.
/// </summary>
public abstract class MessagingScenarios : IAsyncDisposable
{
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
        ExpiryLog? expiries = null)
    {
        _transport ??= await NewTransport();
        Action<IBusRegistrationConfigurator>? transport = _transport is null ? null : _transport.Configure;
        return await MessagingHost.Start(database, options, faults, transport, recordDeliveries, deliveries, expiries);
    }

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
