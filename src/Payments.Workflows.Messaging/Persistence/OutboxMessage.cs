using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Payments.Workflows.Messaging.Persistence;

/// <summary>
/// One outgoing message, stored in the same transaction as the work that produced it and sent once that
/// transaction commits. Implements MassTransit's <see cref="OutboxMessageContext"/> so core's
/// <see cref="OutboxMessageSendPipe"/> can replay it unchanged (ids, headers, transport properties, body).
/// </summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties =
        new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    public long SequenceNumber { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>Set when a consumer produced the message: the inbox key it belongs to.</summary>
    public Guid? InboxMessageId { get; set; }

    public Guid? InboxConsumerId { get; set; }

    /// <summary>Set when the bus outbox (API, background code) produced it: one id per DI scope.</summary>
    public Guid? OutboxId { get; set; }

    /// <summary>
    /// The earliest time the delivery service may send the row. Now for the bus outbox; a short hand-off delay
    /// for consumer rows (their consumer sends them itself right after commit); the scheduled time for
    /// scheduled messages; pushed back after a failed attempt.
    /// </summary>
    public DateTime DueAt { get; set; }

    /// <summary>Set for scheduled messages (MassTransit scheduler or a send with a delay): when it is due.</summary>
    public DateTime? ScheduledTime { get; set; }

    /// <summary>The scheduling token: cancelling the schedule deletes rows with this token.</summary>
    public Guid? TokenId { get; set; }

    /// <summary>Failed delivery attempts by the delivery service.</summary>
    public int DeliveryAttempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set once <see cref="DeliveryAttempts"/> reached the limit: the row is kept for an operator and skipped.</summary>
    public DateTime? QuarantinedAt { get; set; }

    public DateTime SentTime { get; set; }

    public DateTime? ExpirationTime { get; set; }

    public string ContentType { get; set; } = null!;

    public string MessageType { get; set; } = null!;

    public string Body { get; set; } = null!;

    /// <summary>JSON object of the send headers.</summary>
    public string? Headers { get; set; }

    /// <summary>JSON object of the transport properties (routing key, durable, exchange …), without any delay.</summary>
    public string? Properties { get; set; }

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;

    HostInfo MessageContext.Host => HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? NoProperties;

    /// <summary>Parses <see cref="Headers"/> and <see cref="Properties"/> for the send pipe; call before replaying.</summary>
    public void Deserialize(IObjectDeserializer deserializer)
    {
        var headers = deserializer.DeserializeDictionary<object?>(Headers);
        _headers = headers is null ? EmptyHeaders.Instance : new DictionarySendHeaders(headers);
        _properties = deserializer.DeserializeDictionary<object>(Properties) ?? NoProperties;
    }
}
