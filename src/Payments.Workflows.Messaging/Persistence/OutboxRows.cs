using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Payments.Workflows.Messaging.Persistence;

/// <summary>Turns a fully built transport <see cref="SendContext{T}"/> into an <see cref="OutboxMessage"/> row.</summary>
internal static class OutboxRows
{
    public const int LastErrorLength = 2000;

    private const string DelayProperty = "Delay";

    /// <summary>Sends a stored row (already deserialized) to its destination, with its original headers and body.</summary>
    public static async Task Send(ISendEndpointProvider endpoints, OutboxMessageContext row, CancellationToken cancellationToken)
    {
        var destination = row.DestinationAddress
            ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has no destination address.");
        var endpoint = await endpoints.GetSendEndpoint(destination).ConfigureAwait(false);
        await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(row, destination), cancellationToken).ConfigureAwait(false);
    }

    public static OutboxMessage Create<T>(SendContext<T> context, DateTime now, TimeSpan immediateDueDelay)
        where T : class
    {
        if (context.MessageId is not { } messageId)
            throw new MessageException(typeof(T), "The outbox needs the SendContext MessageId to be set.");

        var serializer = SystemTextJsonMessageSerializer.Instance;
        var row = new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = serializer.SerializeDictionary(context.Headers.GetAll()),
            TokenId = context.ScheduledMessageId,
        };

        if (context.TimeToLive is { } timeToLive)
            row.ExpirationTime = now + timeToLive;

        // A delay becomes a due time in the table: the delivery service sends the row when it is due, so no
        // transport delay (and no RabbitMQ delayed-exchange plugin) is ever needed.
        if (context.Delay is { } delay && delay > TimeSpan.Zero)
        {
            row.ScheduledTime = now + delay;
            row.DueAt = row.ScheduledTime.Value;
        }
        else
        {
            row.DueAt = now + immediateDueDelay;
        }

        if (context is TransportSendContext<T> transportContext)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(properties);
            properties.Remove(DelayProperty);
            row.Properties = properties.Count == 0 ? null : serializer.SerializeDictionary(properties);
        }

        return row;
    }

    public static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().FullName}: {exception.Message}";
        return text.Length <= LastErrorLength ? text : text[..LastErrorLength];
    }
}
