using Payments.Workflows.Contracts;
using Payments.Workflows.IntegrationTests.Fixtures;
using Payments.Workflows.IntegrationTests.Support;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>Commands from publishers without our contracts: raw camelCase JSON on payments.commands, via RabbitMQ.Client.</summary>
public sealed class RawJsonCommandTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    [Fact]
    public async Task Malformed_JSON_goes_to_the_error_queue_with_the_parser_reason_and_the_next_command_is_still_handled()
    {
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var paymentId = Guid.NewGuid();

        await Amqp.PublishCommand("capture-payment", """{"paymentId": "oops""", Guid.NewGuid().ToString());
        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"after-bad","amount":5.00}""");

        var error = (await Amqp.WaitForMessages("raw-capture-payment_error")).Single();
        Assert.Equal("""{"paymentId": "oops""", AmqpClient.Body(error));
        Assert.Equal("fault", AmqpClient.Header(error, "MT-Reason"));
        Assert.StartsWith("System.Text.Json.", AmqpClient.Header(error, "MT-Fault-ExceptionType"), StringComparison.Ordinal);
        Assert.Equal("Expected end of string, but instead reached end of data. LineNumber: 0 | BytePositionInLine: 19.",
            AmqpClient.Header(error, "MT-Fault-Message"));
        var rejection = AmqpClient.EnvelopeMessage((await Amqp.WaitForMessages(rejections)).Single());
        Assert.Equal((paymentId.ToString(), "payment-not-found", "Capture"),
            (rejection.GetProperty("paymentId").GetString(), rejection.GetProperty("reasonCode").GetString(), rejection.GetProperty("command").GetString()));
    }

    [Fact]
    public async Task A_command_missing_required_fields_goes_to_the_error_queue_naming_them()
    {
        await Amqp.PublishCommand("refund-payment", $$"""{"paymentId":"{{Guid.NewGuid()}}"}""");
        await Amqp.PublishCommand("authorise-payment", """{"idempotencyKey":"k","amount":10.00,"currency":"EUR"}""", Guid.NewGuid().ToString());

        var refund = (await Amqp.WaitForMessages("raw-refund-payment_error")).Single();
        var authorise = (await Amqp.WaitForMessages("raw-authorise-payment_error")).Single();
        Assert.Equal("refund-payment: missing required fields idempotencyKey, amount (expected camelCase JSON with paymentId, idempotencyKey, amount).",
            AmqpClient.Header(refund, "MT-Fault-Message"));
        Assert.StartsWith("authorise-payment: missing required fields paymentId, merchantId, customerId, cardToken ",
            AmqpClient.Header(authorise, "MT-Fault-Message"), StringComparison.Ordinal);
        Assert.EndsWith("InvalidRawCommandException", AmqpClient.Header(refund, "MT-Fault-ExceptionType"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_routing_key_reaches_the_saga_as_its_command()
    {
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var paymentId = Guid.NewGuid();

        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"c","amount":1.00}""", Guid.NewGuid().ToString());
        await Amqp.PublishCommand("void-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"v"}""");
        await Amqp.PublishCommand("refund-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"r","amount":1.00}""", "not-a-guid");

        var seen = (await Amqp.WaitForMessages(rejections, 3)).Select(AmqpClient.EnvelopeMessage)
            .Select(m => (m.GetProperty("command").GetString(), m.GetProperty("idempotencyKey").GetString(), m.GetProperty("reasonCode").GetString()))
            .OrderBy(m => m.Item1).ToList();
        Assert.Equal([("Capture", "c", "payment-not-found"), ("Refund", "r", "payment-not-found"), ("Void", "v", "payment-not-found")], seen);
    }
}
