using MassTransit.RabbitMqTransport;
using Payments.Workflows.Messaging.Ordering;

namespace Payments.Workflows.Components.RabbitMq;

/// <summary>
/// RabbitMQ numbers the deliveries on a channel 1, 2, 3, … (the delivery tag). MassTransit consumes each receive
/// endpoint on a channel of its own and opens a new one after a reconnect (keeping the consumer tag), so the channel
/// is the stream.
/// </summary>
internal static class RabbitMqDeliverySequence
{
    /// <summary>The delivery's tag within its channel; null on other transports.</summary>
    public static DeliverySequence? Of(ReceiveContext context) =>
        context.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivery) && context.TryGetPayload<ChannelContext>(out var channel)
            ? new DeliverySequence(channel.Channel, $"{delivery.ConsumerTag} on channel {channel.Channel.ChannelNumber}", delivery.DeliveryTag)
            : null;
}
