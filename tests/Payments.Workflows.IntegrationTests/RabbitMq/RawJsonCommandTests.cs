using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.RawCommands;

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

    [Fact]
    public async Task Commands_without_a_message_id_published_twice_are_applied_once()
    {
        var captured = await Amqp.Observe<PaymentCaptured>();
        var paymentId = Guid.NewGuid();
        var authorise = $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"auth-1","merchantId":"m-raw","customerId":"c-raw","amount":40.00,"currency":"EUR","cardToken":"tok_visa"}""";
        var capture = $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"cap-1","amount":40.00}""";

        await Amqp.PublishCommand("authorise-payment", authorise);
        await Amqp.PublishCommand("authorise-payment", authorise);
        await Service.WaitForState(paymentId, "Authorised");
        await Amqp.PublishCommand("capture-payment", capture);
        await Amqp.PublishCommand("capture-payment", capture);

        // The second copy reaches the inbox under the same derived id and is acknowledged without effect; had it
        // got an id of its own, the saga would have seen it and published PaymentCaptured again.
        foreach (var (command, key) in new[] { ("authorise-payment", "auth-1"), ("capture-payment", "cap-1") })
        {
            var derivedId = RawMessageIds.For(command, paymentId, key);
            await Eventually.Matches(ct => InboxReceives(derivedId, ct), counts => counts.Contains(2),
                $"the second {command} copy to reach the inbox under the derived id", Timeout, cancellationToken: Cancellation);
        }

        var payment = await Service.WaitForState(paymentId, "Captured");
        var ledger = await Service.Ledger(paymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Capture], ledger.Select(t => t.Operation).Order());
        Assert.Equal(["Authorise", "Capture"], payment.Operations.Select(o => o.Command));
        Assert.Single(await Amqp.Messages(captured, Cancellation));
        LedgerAssert.Holds(ledger, await Service.AllEntries());
    }

    [Fact]
    public async Task A_GUID_message_id_is_the_message_id_and_a_redelivered_copy_is_applied_once()
    {
        var captured = await Amqp.Observe<PaymentCaptured>();
        var authorise = Authorise(15.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        var messageId = Guid.NewGuid();
        var capture = $$"""{"paymentId":"{{authorise.PaymentId}}","idempotencyKey":"cap-guid","amount":15.00}""";

        await Amqp.PublishCommand("capture-payment", capture, messageId.ToString());
        await Amqp.PublishCommand("capture-payment", capture, messageId.ToString());

        await Eventually.Matches(ct => InboxReceives(messageId, ct), counts => counts.Contains(2),
            "the second copy to reach the inbox under its message_id", Timeout, cancellationToken: Cancellation);
        await Service.WaitForState(authorise.PaymentId, "Captured");
        // The state commits before the outbox delivers the event: wait for it, then check it came once.
        await Amqp.WaitForMessages(captured);
        Assert.Single(await Amqp.Messages(captured, Cancellation));
        Assert.Single(await Service.Ledger(authorise.PaymentId), t => t.Operation == LedgerOperation.Capture);
    }

    /// <summary>Receive counts of the inbox rows (one per consumer) of a message id.</summary>
    private async Task<List<int>> InboxReceives(Guid messageId, CancellationToken cancellationToken)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Set<InboxState>().AsNoTracking()
            .Where(i => i.MessageId == messageId && i.Consumed != null).Select(i => i.ReceiveCount).ToListAsync(cancellationToken);
    }
}
