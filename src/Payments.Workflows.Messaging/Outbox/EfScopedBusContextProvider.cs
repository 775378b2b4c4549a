using MassTransit.DependencyInjection;
using Payments.Workflows.Messaging.Delivery;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// Replaces core's scoped bus context so that scoped publish/send endpoints outside a consumer write outbox rows.
/// Inside a consumer of this bus the consume context already routes through the consumer outbox, so it is used as is.
/// </summary>
internal sealed class EfScopedBusContextProvider<TDbContext> : IScopedBusContextProvider<IBus>, IDisposable
    where TDbContext : DbContext
{
    public EfScopedBusContextProvider(
        IBus bus,
        TDbContext dbContext,
        DeliverySignal signal,
        Bind<IBus, IClientFactory> clientFactory,
        Bind<IBus, IScopedConsumeContextProvider> busConsumeContextProvider,
        IScopedConsumeContextProvider globalConsumeContextProvider,
        IServiceProvider provider,
        TimeProvider timeProvider)
    {
        if (busConsumeContextProvider.Value.HasContext)
            Context = new ConsumeContextScopedBusContext(busConsumeContextProvider.Value.GetContext(), clientFactory.Value);
        else if (globalConsumeContextProvider.HasContext)
            Context = new EfConsumeScopedBusOutboxContext<TDbContext>(bus, dbContext, signal, clientFactory.Value, provider, timeProvider,
                globalConsumeContextProvider.GetContext());
        else
            Context = new EfBusOutboxContext<TDbContext>(bus, dbContext, signal, clientFactory.Value, provider, timeProvider);
    }

    public ScopedBusContext Context { get; }

    public void Dispose() => (Context as IDisposable)?.Dispose();
}
