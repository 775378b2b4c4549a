using MassTransit.DependencyInjection;
using Payments.Workflows.Messaging.Delivery;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>The bus outbox inside another bus's consume scope: endpoints keep that consume context's headers.</summary>
internal sealed class EfConsumeScopedBusOutboxContext<TDbContext>(
    IBus bus,
    TDbContext db,
    DeliverySignal signal,
    IClientFactory clientFactory,
    IServiceProvider provider,
    TimeProvider timeProvider,
    ConsumeContext consumeContext) : EfBusOutboxContext<TDbContext>(bus, db, signal, clientFactory, provider, timeProvider)
    where TDbContext : DbContext
{
    protected override ConsumeContext? ConsumeContext => consumeContext;

    protected override ISendEndpointProvider CreateSendEndpointProvider(IBus bus, IServiceProvider provider) =>
        new ScopedConsumeSendEndpointProvider(bus, consumeContext, provider);

    protected override IPublishEndpointProvider CreatePublishEndpointProvider(IBus bus, IServiceProvider provider) =>
        new ScopedConsumePublishEndpointProvider(bus, consumeContext, provider);
}
