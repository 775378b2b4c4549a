using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// The bus outbox of one DI scope outside a consumer (an HTTP request, a background job). Scoped
/// <see cref="IPublishEndpoint"/>, <see cref="ISendEndpointProvider"/> and request clients build the real transport
/// send context (topology, routing key, serializer, MessageId) with core's outbox endpoint wrappers, and then add it
/// to the caller's DbContext as a row instead of sending it. The row commits with the caller's own SaveChanges or
/// transaction; nothing leaves before that. After the commit the delivery service is woken.
/// </summary>
internal class EfBusOutboxContext<TDbContext> : ScopedBusContext, OutboxSendContext, IDisposable
    where TDbContext : DbContext
{
    private readonly IBus _bus;
    private readonly TDbContext _db;
    private readonly DeliverySignal _signal;
    private readonly IClientFactory _clientFactory;
    private readonly IServiceProvider _provider;
    private readonly TimeProvider _timeProvider;
    private readonly Guid _outboxId = NewId.NextGuid();
    private readonly List<OutboxMessage> _rows = [];
    private IPublishEndpoint? _publishEndpoint;
    private ISendEndpointProvider? _sendEndpointProvider;
    private IScopedClientFactory? _scopedClientFactory;
    private bool _subscribed;

    public EfBusOutboxContext(IBus bus, TDbContext db, DeliverySignal signal, IClientFactory clientFactory, IServiceProvider provider,
        TimeProvider timeProvider)
    {
        _bus = bus;
        _db = db;
        _signal = signal;
        _clientFactory = clientFactory;
        _provider = provider;
        _timeProvider = timeProvider;
    }

    public ISendEndpointProvider SendEndpointProvider =>
        _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, CreateSendEndpointProvider(_bus, _provider));

    public IPublishEndpoint PublishEndpoint =>
        _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, CreatePublishEndpointProvider(_bus, _provider)));

    public IScopedClientFactory ClientFactory =>
        _scopedClientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(_clientFactory, _provider)), ConsumeContext);

    protected virtual ConsumeContext? ConsumeContext => null;

    public object? GetService(Type serviceType) => _provider.GetService(serviceType);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var row = OutboxRows.Create(context, _timeProvider.GetUtcNow().UtcDateTime, TimeSpan.Zero);
        row.OutboxId = _outboxId;

        lock (_rows)
        {
            _db.Set<OutboxMessage>().Add(row);
            _rows.Add(row);

            if (!_subscribed)
            {
                _db.SavedChanges += OnSavedChanges;
                _subscribed = true;
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_rows)
        {
            if (_subscribed)
                _db.SavedChanges -= OnSavedChanges;

            // The scope ends after the caller's transaction (if any) ended: saved rows are committed by now.
            if (_rows.Count > 0)
                _signal.Notify();
        }
    }

    protected virtual ISendEndpointProvider CreateSendEndpointProvider(IBus bus, IServiceProvider provider) =>
        new ScopedSendEndpointProvider(bus, provider);

    protected virtual IPublishEndpointProvider CreatePublishEndpointProvider(IBus bus, IServiceProvider provider) =>
        new ScopedPublishEndpointProvider(bus, provider);

    private void OnSavedChanges(object? sender, SavedChangesEventArgs e)
    {
        // Without an explicit transaction SaveChanges itself committed: wake the delivery service now. Inside one,
        // the wake-up waits for the end of the scope (the caller's commit comes before it).
        if (_db.Database.CurrentTransaction is null)
            _signal.Notify();
    }
}
