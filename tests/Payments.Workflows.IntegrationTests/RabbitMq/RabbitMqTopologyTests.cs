using System.Text.Json;
using RabbitMQ.Client;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>What ops see in the management UI once the service has started on an empty virtual host.</summary>
public sealed class RabbitMqTopologyTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const int DeliveryLimit = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:RabbitMq:DeliveryLimit"] = DeliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Payments:RabbitMq:QuorumQueues"] = "true",
    };

    [Fact]
    public async Task Every_service_queue_is_a_durable_quorum_queue_that_dead_letters_to_its_own_error_queue_at_the_delivery_limit()
    {
        var queues = (await Management.GetQueuesAsync(VirtualHost, Cancellation)).ToDictionary(q => q.Name);
        var bindings = await Management.GetBindingsAsync(VirtualHost, Cancellation);

        Assert.All(ServiceQueues, name =>
        {
            var queue = queues[name];
            Assert.Equal(("quorum", true, false), (queue.Type, queue.Durable, queue.AutoDelete));
            Assert.Equal($"{name}_error", Argument(queue, "x-dead-letter-exchange"));
            Assert.Equal(DeliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Argument(queue, "x-delivery-limit"));
            Assert.Equal("at-least-once", Argument(queue, "x-dead-letter-strategy"));

            // The dead-letter exchange exists from the start and leads to a queue that keeps what it gets.
            var error = queues[$"{name}_error"];
            Assert.Equal(("quorum", true), (error.Type, error.Durable));
            Assert.Null(Argument(error, "x-dead-letter-exchange"));
            Assert.Null(Argument(error, "x-delivery-limit"));
            Assert.Contains(bindings, b => b.Source == $"{name}_error" && b.Destination == $"{name}_error" && b.DestinationType == "queue");
        });
    }

    [Fact]
    public async Task Each_raw_command_queue_reads_one_routing_key_of_the_direct_payments_commands_exchange_and_nothing_else()
    {
        var exchanges = await Management.GetExchangesAsync(VirtualHost, Cancellation);
        var bindings = await Management.GetBindingsAsync(VirtualHost, Cancellation);

        Assert.Contains(exchanges, e => e is { Name: "payments.commands", Type: "direct", Durable: true, AutoDelete: false });
        foreach (var command in new[] { "authorise-payment", "capture-payment", "void-payment", "refund-payment" })
        {
            var queue = $"raw-{command}";

            // The queue is fed only by its own fanout exchange, and that exchange only by payments.commands with
            // the command's routing key: no message-type exchange reaches a raw queue.
            var intoQueue = Assert.Single(bindings, b => b.Destination == queue && b.DestinationType == "queue" && b.Source.Length > 0);
            var intoExchange = Assert.Single(bindings, b => b.Destination == queue && b.DestinationType == "exchange");
            Assert.Equal(queue, intoQueue.Source);
            Assert.Equal(("payments.commands", command), (intoExchange.Source, intoExchange.RoutingKey));
        }
    }

    [Fact]
    public async Task Contract_message_types_are_routed_to_the_saga_and_status_queues_through_their_own_exchanges()
    {
        var exchanges = await Management.GetExchangesAsync(VirtualHost, Cancellation);
        var bindings = await Management.GetBindingsAsync(VirtualHost, Cancellation);

        foreach (var command in new[] { "AuthorisePayment", "CapturePayment", "VoidPayment", "RefundPayment" })
        {
            Assert.Contains(exchanges, e => e.Name == $"Payments.Workflows.Contracts:{command}" && e is { Type: "fanout", Durable: true });
            Assert.Contains(bindings, b => b.Source == $"Payments.Workflows.Contracts:{command}" && b.Destination == "payment-state");
        }

        Assert.Contains(bindings, b => b.Source == "Payments.Workflows.Contracts:GetPaymentStatus" && b.Destination == "get-payment-status");
        Assert.Contains(bindings, b => b.Source == "payment-state" && b.Destination == "payment-state" && b.DestinationType == "queue");
    }

    [Fact]
    public async Task A_message_handed_out_more_often_than_the_delivery_limit_is_dead_lettered_to_the_error_queue_not_dropped()
    {
        // Only this test's client may consume: stop the service so the broker hands the message to us each time.
        await Service.DisposeAsync();
        var body = """{"paymentId":"00000000-0000-0000-0000-000000000001"}""";
        var messageId = Guid.NewGuid().ToString();
        await Amqp.Channel.BasicPublishAsync(string.Empty, "payment-state", mandatory: true,
            new BasicProperties { MessageId = messageId, Persistent = true, ContentType = "application/json" }, Encoding.UTF8.GetBytes(body), Cancellation);

        // A consumer that dies holding the message looks like this to the broker: delivered, never acknowledged.
        var deliveries = 0;
        await Eventually.Matches(async ct =>
        {
            var result = await Amqp.Channel.BasicGetAsync("payment-state", autoAck: false, ct);
            if (result is null)
                return true;
            deliveries++;
            await Amqp.Channel.BasicNackAsync(result.DeliveryTag, multiple: false, requeue: true, ct);
            return false;
        }, gone => gone, "the broker to stop handing the message out", Timeout, cancellationToken: Cancellation);

        var dead = (await Amqp.WaitForMessages("payment-state_error")).Single();
        Assert.Equal(DeliveryLimit + 1, deliveries);
        Assert.Equal((messageId, body), (dead.BasicProperties.MessageId, AmqpClient.Body(dead)));
        Assert.Equal("delivery_limit", AmqpClient.Header(dead, "x-first-death-reason"));
    }

    private static string? Argument(RabbitMqQueue queue, string name) =>
        queue.Arguments?.TryGetValue(name, out var value) == true
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
