using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Payments.Workflows.IntegrationTests.Fixtures;

public sealed class RabbitMqServerTests(RabbitMqServer rabbitMq)
{
    // Management statistics lag the broker by a few seconds; allow for a loaded CI machine.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_message_published_on_a_new_virtual_host_can_be_consumed_from_it()
    {
        var uri = await rabbitMq.CreateVirtualHostAsync("fixture", Cancellation);
        await using var connection = await Connect(uri);
        await using var channel = await connection.CreateChannelAsync(ConfirmedPublishing, Cancellation);
        await channel.QueueDeclareAsync("authorise-payment", durable: true, exclusive: false, autoDelete: false, Quorum, cancellationToken: Cancellation);

        var messageId = Guid.NewGuid().ToString();
        var properties = new BasicProperties { MessageId = messageId, ContentType = "application/json", Persistent = true };
        await channel.BasicPublishAsync(string.Empty, "authorise-payment", mandatory: true, properties, Encoding.UTF8.GetBytes("""{"amount":10.00}"""), Cancellation);

        var received = await Eventually.Matches(
            ct => channel.BasicGetAsync("authorise-payment", autoAck: true, ct),
            result => result is not null,
            "the message on the queue",
            Timeout,
            cancellationToken: Cancellation);

        Assert.Equal(messageId, received!.BasicProperties.MessageId);
        Assert.Equal("""{"amount":10.00}""", Encoding.UTF8.GetString(received.Body.Span));
    }

    [Fact]
    public async Task The_management_api_lists_the_queues_exchanges_and_bindings_of_a_virtual_host_and_counts_messages()
    {
        var uri = await rabbitMq.CreateVirtualHostAsync("topology", Cancellation);
        var vhost = RabbitMqServer.VirtualHostOf(uri);
        var management = await rabbitMq.GetManagementClientAsync(Cancellation);
        await using var connection = await Connect(uri);
        await using var channel = await connection.CreateChannelAsync(ConfirmedPublishing, Cancellation);
        await channel.ExchangeDeclareAsync("payments.events", ExchangeType.Fanout, durable: true, cancellationToken: Cancellation);
        await channel.QueueDeclareAsync("payment-ledger", durable: true, exclusive: false, autoDelete: false, Quorum, cancellationToken: Cancellation);
        await channel.QueueBindAsync("payment-ledger", "payments.events", routingKey: string.Empty, cancellationToken: Cancellation);
        await channel.BasicPublishAsync("payments.events", string.Empty, mandatory: true, new BasicProperties(), "posted"u8.ToArray(), Cancellation);
        await channel.BasicPublishAsync("payments.events", string.Empty, mandatory: true, new BasicProperties(), "posted"u8.ToArray(), Cancellation);

        var queues = await management.GetQueuesAsync(vhost, Cancellation);
        var exchanges = await management.GetExchangesAsync(vhost, Cancellation);
        var bindings = await management.GetBindingsAsync(vhost, Cancellation);
        var count = await Eventually.Matches(
            ct => management.GetQueueMessageCountAsync(vhost, "payment-ledger", ct),
            messages => messages == 2,
            "the management API to count both messages",
            Timeout,
            cancellationToken: Cancellation);

        var queue = Assert.Single(queues);
        Assert.Equal(("payment-ledger", "quorum", vhost), (queue.Name, queue.Type, queue.VirtualHost));
        Assert.Contains(exchanges, e => e is { Name: "payments.events", Type: "fanout", Durable: true });
        Assert.Contains(bindings, b => b is { Source: "payments.events", Destination: "payment-ledger", DestinationType: "queue" });
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Virtual_hosts_created_for_different_tests_are_isolated()
    {
        var first = await rabbitMq.CreateVirtualHostAsync("isolation", Cancellation);
        var second = await rabbitMq.CreateVirtualHostAsync("isolation", Cancellation);
        var management = await rabbitMq.GetManagementClientAsync(Cancellation);
        await using (var connection = await Connect(first))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation))
        {
            await channel.QueueDeclareAsync("only-in-first", durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancellation);
        }

        await using var other = await Connect(second);
        await using var otherChannel = await other.CreateChannelAsync(cancellationToken: Cancellation);
        var missing = await Assert.ThrowsAsync<OperationInterruptedException>(() => otherChannel.QueueDeclarePassiveAsync("only-in-first", Cancellation));

        Assert.NotEqual(first, second);
        Assert.Equal((ushort)404, missing.ShutdownReason?.ReplyCode);
        Assert.Empty(await management.GetQueuesAsync(RabbitMqServer.VirtualHostOf(second), Cancellation));
        Assert.NotNull(await management.GetQueueAsync(RabbitMqServer.VirtualHostOf(first), "only-in-first", Cancellation));
    }

    [Fact]
    public async Task Closing_the_connections_of_a_virtual_host_disconnects_its_clients()
    {
        var uri = await rabbitMq.CreateVirtualHostAsync("fault", Cancellation);
        var management = await rabbitMq.GetManagementClientAsync(Cancellation);
        await using var connection = await Connect(uri);
        var shutdown = new TaskCompletionSource<ShutdownEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, args) =>
        {
            shutdown.TrySetResult(args);
            return Task.CompletedTask;
        };

        // The management database learns of a connection within a statistics interval: retry until it is seen.
        var closed = await Eventually.Matches(
            ct => management.CloseConnectionsAsync(RabbitMqServer.VirtualHostOf(uri), "fault injection", ct),
            count => count > 0,
            "the connection to be closed through the management API",
            Timeout,
            cancellationToken: Cancellation);
        var reason = await shutdown.Task.WaitAsync(Timeout, Cancellation);

        Assert.Equal(1, closed);
        Assert.Equal(ShutdownInitiator.Peer, reason.Initiator);
        Assert.Contains("fault injection", reason.ReplyText, StringComparison.Ordinal);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public async Task A_deleted_virtual_host_is_gone()
    {
        var uri = await rabbitMq.CreateVirtualHostAsync("deleted", Cancellation);
        var management = await rabbitMq.GetManagementClientAsync(Cancellation);
        Assert.True(await management.VirtualHostExistsAsync(RabbitMqServer.VirtualHostOf(uri), Cancellation));

        await rabbitMq.DeleteVirtualHostAsync(uri, Cancellation);

        Assert.False(await management.VirtualHostExistsAsync(RabbitMqServer.VirtualHostOf(uri), Cancellation));
    }

    [Fact]
    public async Task Without_a_broker_or_docker_the_failure_says_how_to_get_one()
    {
        await using var nowhere = new RabbitMqServer(null, null, _ => Task.FromResult<Testcontainers.RabbitMq.RabbitMqContainer?>(null));

        var failure = await Assert.ThrowsAsync<ServerUnavailableException>(() => nowhere.CreateVirtualHostAsync("none", Cancellation));

        Assert.Contains("PAYMENTS_TEST_RABBITMQ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("bash infra/scripts/start-services.sh", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Docker engine", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp://u:p@host:5672/", "/")]
    [InlineData("amqp://u:p@host:5672", "/")]
    [InlineData("amqp://u:p@host:5672/%2F", "/")]
    [InlineData("amqp://u:p@host:5672/payments", "payments")]
    public void The_virtual_host_of_an_amqp_uri_is_its_unescaped_path(string uri, string expected) =>
        Assert.Equal(expected, RabbitMqServer.VirtualHostOf(new Uri(uri)));

    private static CreateChannelOptions ConfirmedPublishing =>
        new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private static Dictionary<string, object?> Quorum => new() { ["x-queue-type"] = "quorum" };

    private static Task<IConnection> Connect(Uri uri) =>
        new ConnectionFactory { Uri = uri, AutomaticRecoveryEnabled = false }.CreateConnectionAsync(Cancellation);
}
