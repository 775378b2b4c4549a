using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Cleanup;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Outbox;
using Payments.Workflows.Messaging.Scheduling;

namespace Payments.Workflows.Messaging.Configuration;

public static class InboxOutboxRegistrationExtensions
{
    /// <summary>
    /// The whole effectively-once kit on <typeparamref name="TDbContext"/>, in one call inside <c>AddMassTransit</c>:
    /// the inbox/outbox on every receive endpoint (through an endpoint-configuration callback), the bus outbox for
    /// scoped publish/send outside consumers, the durable scheduler (<see cref="IMessageScheduler"/> and each
    /// consume context's scheduler), the delivery service and the cleanup service, with validated options.
    /// The DbContext must map the tables with <c>modelBuilder.AddInboxOutbox()</c>. An endpoint for which
    /// <paramref name="appliesTo"/> answers false gets neither: its consumer must be idempotent on its own.
    /// </summary>
    public static IBusRegistrationConfigurator AddEfInboxOutbox<TDbContext>(this IBusRegistrationConfigurator configurator,
        Action<InboxOutboxOptions>? configure = null, Func<string, bool>? appliesTo = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);

        var options = configurator.AddOptions<InboxOutboxOptions>();
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        configurator.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxOutboxOptions>, InboxOutboxOptionsValidator>());

        configurator.AddMetrics();
        configurator.TryAddSingleton(TimeProvider.System);
        configurator.TryAddSingleton<IOutboxBacklogReader, OutboxBacklogReader<TDbContext>>();
        configurator.TryAddSingleton<MessagingMetrics>();
        configurator.TryAddSingleton<DeliverySignal>();
        configurator.TryAddSingleton<VolatileTransport>();
        configurator.AddReceiveObserver(provider => provider.GetRequiredService<VolatileTransport>());
        AddReceiveDrain(configurator);

        configurator.TryAddScoped<IOutboxContextFactory<TDbContext>, EfOutboxContextFactory<TDbContext>>();
        configurator.ReplaceScoped<IScopedBusContextProvider<IBus>, EfScopedBusContextProvider<TDbContext>>();

        // Outside consumers (API, jobs): schedule through the scoped bus outbox, cancel in the scoped DbContext.
        configurator.RemoveAll<IMessageScheduler>();
        configurator.AddScoped<IMessageScheduler>(provider => new MessageScheduler(
            new EfScheduleMessageProvider(provider.GetRequiredService<ISendEndpointProvider>(), provider.GetRequiredService<TDbContext>),
            provider.GetRequiredService<IBus>().Topology));

        configurator.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDeliveryService<TDbContext>>());
        configurator.TryAddSingleton<DeliveredMarkWriter<TDbContext>>();
        configurator.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveredMarkWriter<TDbContext>>(
            provider => provider.GetRequiredService<DeliveredMarkWriter<TDbContext>>()));
        configurator.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, InboxOutboxCleanupService<TDbContext>>());
        configurator.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConsumedRowsWriter<TDbContext>>());

        configurator.AddConfigureEndpointsCallback((context, queueName, endpoint) =>
        {
            // Every endpoint, with or without the inbox: on an in-memory transport, sent rows stay until it has finished.
            context.GetRequiredService<VolatileTransport>().Watch(endpoint);
            if (appliesTo?.Invoke(queueName) ?? true)
                endpoint.UseEfInboxOutbox<TDbContext>(context);
        });

        return configurator;
    }

    /// <summary>
    /// The inbox/outbox and the durable scheduler on one receive endpoint. <see cref="AddEfInboxOutbox{TDbContext}"/>
    /// already applies this to every endpoint; call it only for endpoints configured outside that callback.
    /// Message retry configured on the endpoint always runs outside this filter, one fresh scope per attempt.
    /// </summary>
    public static void UseEfInboxOutbox<TDbContext>(this IReceiveEndpointConfigurator configurator, IRegistrationContext context)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(context);

        var settings = context.GetRequiredService<IOptions<InboxOutboxOptions>>().Value;

        configurator.UseFilter(EfMessageSchedulerFilter.Instance);

        var observer = new OutboxConsumePipeSpecificationObserver<TDbContext>(configurator, context)
        {
            // Every immediate row goes out in one in-memory pass after commit; there is no per-pass transaction
            // to keep short, so core's one-message-per-pass default would only add passes.
            MessageDeliveryLimit = int.MaxValue,
            MessageDeliveryTimeout = settings.ConsumerSendTimeout,
        };

        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }

    // The drain must stop after the bus, and the host stops its services in the reverse order of registration: it goes
    // in just before MassTransit's hosted service (registered by AddMassTransit before this callback runs).
    private static void AddReceiveDrain(IBusRegistrationConfigurator configurator)
    {
        if (configurator.Any(d => d.ServiceType == typeof(ReceiveDrain)))
            return;

        configurator.AddSingleton<ReceiveDrain>();
        configurator.AddReceiveObserver(provider => provider.GetRequiredService<ReceiveDrain>());
        var drain = ServiceDescriptor.Singleton<IHostedService, ReceiveDrain>(provider => provider.GetRequiredService<ReceiveDrain>());
        var bus = configurator.ToList().FindIndex(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MassTransitHostedService));
        if (bus >= 0)
            configurator.Insert(bus, drain);
        else
            configurator.Add(drain);
    }
}
