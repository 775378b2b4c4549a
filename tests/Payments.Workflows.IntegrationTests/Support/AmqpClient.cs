using System.Text.Json;
using Payments.Workflows.Components.RawCommands;
using RabbitMQ.Client;

namespace Payments.Workflows.IntegrationTests.Support;

/// <summary>
/// A plain AMQP client, as a publisher in another language would use one: raw JSON bodies, no MassTransit
/// envelope. Also reads queues directly (error queues, event observers) the way an operator's tool would.
/// </summary>
public sealed class AmqpClient : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly Dictionary<string, List<BasicGetResult>> _seen = [];

    private AmqpClient(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<AmqpClient> Connect(Uri virtualHost)
    {
        var connection = await new ConnectionFactory { Uri = virtualHost, AutomaticRecoveryEnabled = false }.CreateConnectionAsync(Cancellation);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Cancellation);
        return new AmqpClient(connection, channel);
    }

    public IChannel Channel => _channel;

    /// <summary>Publishes <paramref name="json"/> to payments.commands, as amqp-publish does (message_id only when given).</summary>
    public async Task PublishCommand(string routingKey, string json, string? messageId = null)
    {
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, MessageId = messageId };
        await _channel.BasicPublishAsync(RawCommandTopology.Exchange, routingKey, mandatory: true, properties, Encoding.UTF8.GetBytes(json), Cancellation);
    }

    /// <summary>
    /// A queue of our own bound to the exchange MassTransit publishes <typeparamref name="T"/> to, declared as
    /// MassTransit declares it, so every later publish of T is kept for <see cref="Messages"/>.
    /// </summary>
    public async Task<string> Observe<T>()
    {
        var exchange = $"{typeof(T).Namespace}:{typeof(T).Name}";
        var queue = $"test-observe-{typeof(T).Name}";
        await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: Cancellation);
        await _channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancellation);
        await _channel.QueueBindAsync(queue, exchange, string.Empty, cancellationToken: Cancellation);
        return queue;
    }

    /// <summary>Every message taken from <paramref name="queue"/> so far, after taking whatever is there now.</summary>
    public async Task<IReadOnlyList<BasicGetResult>> Messages(string queue, CancellationToken cancellationToken = default)
    {
        if (!_seen.TryGetValue(queue, out var seen))
            _seen[queue] = seen = [];
        while (await _channel.BasicGetAsync(queue, autoAck: true, cancellationToken) is { } result)
            seen.Add(result);
        return seen;
    }

    /// <summary>Waits until <paramref name="queue"/> has given at least <paramref name="count"/> messages in all.</summary>
    public Task<IReadOnlyList<BasicGetResult>> WaitForMessages(string queue, int count = 1, TimeSpan? timeout = null) =>
        Eventually.Matches(ct => Messages(queue, ct), m => m.Count >= count, $"{count} message(s) on {queue}",
            timeout ?? TimeSpan.FromSeconds(30), cancellationToken: Cancellation);

    /// <summary>The message of a MassTransit envelope.</summary>
    public static JsonElement EnvelopeMessage(BasicGetResult result) =>
        JsonDocument.Parse(result.Body).RootElement.GetProperty("message");

    public static string Body(BasicGetResult result) => Encoding.UTF8.GetString(result.Body.Span);

    /// <summary>A header as text (AMQP carries strings as bytes), or null when absent.</summary>
    public static string? Header(BasicGetResult result, string name) =>
        result.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
