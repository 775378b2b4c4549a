using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Workflows.Testing.Servers;

/// <summary>A queue as GET /api/queues/{vhost} shows it. Counts are null until the broker's first statistics sample.</summary>
public sealed record RabbitMqQueue(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("durable")] bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete,
    [property: JsonPropertyName("arguments")] IReadOnlyDictionary<string, JsonElement>? Arguments,
    [property: JsonPropertyName("policy")] string? Policy,
    [property: JsonPropertyName("messages")] long? Messages,
    [property: JsonPropertyName("messages_ready")] long? MessagesReady,
    [property: JsonPropertyName("messages_unacknowledged")] long? MessagesUnacknowledged,
    [property: JsonPropertyName("consumers")] int? Consumers);

/// <summary>An exchange as GET /api/exchanges/{vhost} shows it (the default exchange has the empty name).</summary>
public sealed record RabbitMqExchange(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("durable")] bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete,
    [property: JsonPropertyName("internal")] bool Internal);

/// <summary>A binding as GET /api/bindings/{vhost} shows it (an empty source is the default exchange).</summary>
public sealed record RabbitMqBinding(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("destination_type")] string DestinationType,
    [property: JsonPropertyName("routing_key")] string RoutingKey);

/// <summary>A client connection as GET /api/connections shows it.</summary>
public sealed record RabbitMqConnection(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    [property: JsonPropertyName("user")] string? User);
