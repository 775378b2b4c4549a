using System.Collections.Concurrent;
using System.Threading.Channels;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// What the outbox must know about a transport that holds queued messages in process memory only (MassTransit's
/// in-memory transport): a message handed to it is gone if the process stops before a consumer has finished with it.
/// On such a transport a sent row is not deleted but kept, due again after
/// <see cref="InboxOutboxOptions.ResendUnconsumedAfter"/>, until an endpoint of this process has
/// received its message and finished with it (committed, dropped as a copy, or moved to its error queue). After a
/// restart every row still kept is sent again; the inbox drops the copies that had been consumed. Rows whose message
/// no endpoint here consumes (events for other services) are deleted when sent, as on a broker.
/// </summary>
/// <remarks>
/// A broker transport never touches this: <see cref="IsVolatile"/> stays false (as it does when
/// <see cref="InboxOutboxOptions.KeepSentUntilConsumed"/> is false).
/// Known limit: a message type consumed by two endpoints of one process is settled when the first has finished.
/// </remarks>
internal sealed class VolatileTransport(IOptions<InboxOutboxOptions> options) : IReceiveObserver
{
    private readonly ConcurrentDictionary<string, byte> _consumedTypes = new(StringComparer.Ordinal);

    private readonly Channel<Guid> _finished = Channel.CreateUnbounded<Guid>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private volatile bool _isVolatile;

    /// <summary>True once an in-memory receive endpoint was configured on the bus.</summary>
    public bool IsVolatile => _isVolatile;

    /// <summary>MessageIds of messages an endpoint here has finished with, for <see cref="ConsumedRowsWriter{TDbContext}"/>.</summary>
    public ChannelReader<Guid> Finished => _finished.Reader;

    /// <summary>Watches one receive endpoint: if it is in memory, learns its message types and observes its receives.</summary>
    public void Watch(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is not IInMemoryReceiveEndpointConfigurator || options.Value.KeepSentUntilConsumed == false)
            return;

        _isVolatile = true;
        var types = new ConsumedTypes(this);
        endpoint.ConnectConsumerConfigurationObserver(types);
        endpoint.ConnectSagaConfigurationObserver(types);
    }

    /// <summary>Whether <paramref name="row"/> must stay after its send until its consumer here has finished with it.</summary>
    public bool KeepsUntilConsumed(OutboxMessage row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return _isVolatile && row.MessageType.Split(';').Any(_consumedTypes.ContainsKey);
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        Settle(context);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        // Moved to the endpoint's error queue, or dropped: either way the endpoint has finished with it. Not so a
        // consumer cancelled because the bus is stopping: its message is sent again after the restart.
        if (exception is not OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
            Settle(context);
        return Task.CompletedTask;
    }

    private void Settle(ReceiveContext context)
    {
        if (_isVolatile && context.GetMessageId() is { } messageId)
            _finished.Writer.TryWrite(messageId);
    }

    // Learns, while the endpoint is configured, every message type its consumers and sagas consume.
    private sealed class ConsumedTypes(VolatileTransport transport) : IConsumerConfigurationObserver, ISagaConfigurationObserver
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class => Add<TMessage>();

        public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
            where TSaga : class, ISaga
        {
        }

        public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
            where TInstance : class, ISaga, SagaStateMachineInstance
        {
        }

        public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
            where TSaga : class, ISaga
            where TMessage : class => Add<TMessage>();

        private void Add<TMessage>()
            where TMessage : class => transport._consumedTypes.TryAdd(MessageUrn.ForTypeString<TMessage>(), 0);
    }
}
