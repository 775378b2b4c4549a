using RabbitMQ.Client;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// One queue per command (raw-authorise-payment, …), bound to <see cref="RawCommandTopology.Exchange"/> by the
/// command's routing key, reading JSON without a MassTransit envelope.
/// </summary>
internal sealed class RawCommandConsumerDefinition<TRaw, TCommand> : ConsumerDefinition<RawCommandConsumer<TRaw, TCommand>>
    where TRaw : class, IRawCommand<TCommand>
    where TCommand : class
{
    public RawCommandConsumerDefinition()
    {
        EndpointName = RawCommandTopology.QueueFor(TRaw.RoutingKey);

        // Publishers reach this queue only through the commands exchange, never by message type.
        Endpoint(e => e.ConfigureConsumeTopology = false);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RawCommandConsumer<TRaw, TCommand>> consumerConfigurator, IRegistrationContext context)
    {
        // No MT-MessageType header arrives, and the queue holds one command type: read any body as TRaw. Also the
        // default, so a publisher that sets no content_type is read the same way.
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpointConfigurator.UseFilter(new RawCommandFilter<TRaw, TCommand>());

        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Bind(RawCommandTopology.Exchange, exchange =>
            {
                exchange.ExchangeType = ExchangeType.Direct;
                exchange.RoutingKey = TRaw.RoutingKey;
            });
        }
    }
}
