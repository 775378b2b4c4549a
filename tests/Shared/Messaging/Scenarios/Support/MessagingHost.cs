using MassTransit.Testing;
using Microsoft.Extensions.Logging;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Messaging.Sagas;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// One service instance for the tests: in-memory bus (core test harness), the test consumers and timer saga, and
/// the EF inbox/outbox on the given database. Several hosts on one database stand for several instances or for a
/// restart.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private MessagingHost(ServiceProvider provider, ITestHarness harness)
    {
        _provider = provider;
        Harness = harness;
    }

    public ITestHarness Harness { get; }

    public IServiceProvider Services => _provider;

    public DbActivityCounter Transactions => _provider.GetRequiredService<DbActivityCounter>();

    public DeliveryLog Deliveries => _provider.GetRequiredService<DeliveryLog>();

    public ExpiryLog Expiries => _provider.GetRequiredService<ExpiryLog>();

    public BatchLog Batches => _provider.GetRequiredService<BatchLog>();

    public LogCapture Logs => _provider.GetRequiredService<LogCapture>();

    public static async Task<MessagingHost> Start(
        ITestDatabase database,
        Action<InboxOutboxOptions>? options = null,
        IOutboxFaultInjector? faults = null,
        Action<IBusRegistrationConfigurator>? configure = null,
        bool recordDeliveries = true,
        DeliveryLog? deliveries = null,
        ExpiryLog? expiries = null,
        DatabaseOutage? outage = null)
    {
        var services = new ServiceCollection();
        var counter = new DbActivityCounter();
        services.AddSingleton(counter);
        services.AddSingleton(deliveries ?? new DeliveryLog());
        services.AddSingleton(expiries ?? new ExpiryLog());
        services.AddSingleton<BatchLog>();
        var logs = new LogCapture();
        services.AddSingleton(logs);
        services.AddLogging(b => b.AddProvider(logs));
        if (faults is not null)
            services.AddSingleton(faults);

        services.AddDbContextFactory<TestDbContext>(o =>
        {
            database.Configure(o);
            o.AddInterceptors(counter);
            if (outage is not null)
                o.AddInterceptors(outage);
        });

        services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<DoWorkConsumer>();
            x.AddConsumer<DoBatchWorkConsumer>(c => c.Options<BatchOptions>(o => o
                    .SetMessageLimit(DoBatchWorkConsumer.MessageLimit)
                    .SetTimeLimit(TimeSpan.FromMilliseconds(300))))
                .Endpoint(e =>
                {
                    e.PrefetchCount = DoBatchWorkConsumer.MessageLimit;
                    e.ConcurrentMessageLimit = DoBatchWorkConsumer.MessageLimit;
                });
            if (recordDeliveries)
            {
                x.AddConsumer<WorkDoneRecorder>();
                x.AddConsumer<TimerExpiredRecorder>();
            }

            x.AddSagaStateMachine<TimerStateMachine, TimerState>().EfCoreRepository<TimerState, TestDbContext>();

            x.AddEfInboxOutbox<TestDbContext>(o =>
            {
                o.DeliveryPollInterval = TimeSpan.FromMilliseconds(100);
                o.ConsumerHandOffDelay = TimeSpan.FromSeconds(1);
                o.DeliveryRetryDelay = TimeSpan.FromMilliseconds(100);
                o.UnhealthyMaxDelay = TimeSpan.FromSeconds(1);
                o.CleanupEnabled = false;
                // The scenarios describe the outbox as a broker transport sees it; keeping rows on the in-memory
                // transport has scenarios of its own (InMemoryTransportScenarios).
                o.KeepSentUntilConsumed = false;
                options?.Invoke(o);
            });

            configure?.Invoke(x);
        });

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var harness = provider.GetTestHarness();
        await harness.Start();
        return new MessagingHost(provider, harness);
    }

    public async Task Publish<T>(T message, Guid? messageId = null)
        where T : class =>
        await Harness.Bus.Publish(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });

    public async Task<TResult> Query<TResult>(Func<TestDbContext, Task<TResult>> query)
    {
        var factory = _provider.GetRequiredService<IDbContextFactory<TestDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Harness.Stop();
        }
        finally
        {
            await _provider.DisposeAsync();
        }
    }
}
