using System.Text.Json;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>
/// Security review §3, acceptance tests 15–16, on PostgreSQL: raw JSON commands whose content the database would refuse
/// (U+0000, over-long text, an empty or over-long key) are answered with PaymentCommandRejected invalid-command, never
/// reach the saga, and leave every <c>_error</c> queue empty.
/// </summary>
public sealed class RawInvalidCommandTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    public static TheoryData<string, string, string> InvalidAuthorisations() => new()
    {
        { "merchantId with U+0000", "merchantId", """m\u0000x""" },
        { "merchantId of 10 KB", "merchantId", new string('m', 10 * 1024) },
        { "customerId with a right-to-left override", "customerId", """c\u202Ex""" },
        { "empty idempotency key", "idempotencyKey", "" },
        { "idempotency key of 256 characters", "idempotencyKey", new string('k', 256) },
    };

    [Theory]
    [MemberData(nameof(InvalidAuthorisations))]
    public async Task An_authorisation_the_database_would_refuse_is_rejected_as_invalid_command_and_never_reaches_the_saga(
        string description, string field, string value)
    {
        _ = description;
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var paymentId = Guid.NewGuid();
        var fields = new Dictionary<string, string>
        {
            ["idempotencyKey"] = $"auth-{paymentId:N}", ["merchantId"] = "merchant-raw", ["customerId"] = "customer-raw",
        };
        // Written into the JSON as it is: \u0000 and \u202E are JSON escapes the consumer decodes.
        fields[field] = value;
        var json = $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"{{fields["idempotencyKey"]}}","merchantId":"{{fields["merchantId"]}}","customerId":"{{fields["customerId"]}}","amount":10.00,"currency":"EUR","cardToken":"tok_visa"}""";

        await Amqp.PublishCommand("authorise-payment", json);

        var rejection = AmqpClient.EnvelopeMessage((await Amqp.WaitForMessages(rejections)).Single());
        Assert.Equal((paymentId.ToString(), "invalid-command", "Authorise"), (Text(rejection, "paymentId"), Text(rejection, "reasonCode"), Text(rejection, "command")));
        Assert.Contains(field, Text(rejection, "reason"), StringComparison.Ordinal);
        await AssertNothingStoredOrFaulted(paymentId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(256)]
    [InlineData("cap\u0000ture")]
    public async Task A_capture_with_an_empty_over_long_or_control_character_key_is_rejected_and_never_posted(object key)
    {
        var captureKey = key is int length ? new string('k', length) : (string)key;
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var authorise = Authorise(20.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");

        await Amqp.PublishCommand("capture-payment",
            $$"""{"paymentId":"{{authorise.PaymentId}}","idempotencyKey":{{JsonSerializer.Serialize(captureKey)}},"amount":20.00}""");

        var rejection = AmqpClient.EnvelopeMessage((await Amqp.WaitForMessages(rejections)).Single());
        Assert.Equal(("invalid-command", "Capture"), (Text(rejection, "reasonCode"), Text(rejection, "command")));
        Assert.Contains("idempotencyKey", Text(rejection, "reason"), StringComparison.Ordinal);

        // A valid capture after it is applied: the invalid one was answered, not queued behind or faulted.
        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{authorise.PaymentId}}","idempotencyKey":"cap-valid","amount":5.00}""");
        var payment = await Service.WaitForState(authorise.PaymentId, "PartiallyCaptured");
        Assert.Equal(["Authorise", "Capture"], payment.Operations.Select(o => o.Command));
        Assert.Equal("cap-valid", payment.Operations[1].IdempotencyKey);
        var ledger = await Service.Ledger(authorise.PaymentId);
        Assert.Single(ledger, t => t.Operation == LedgerOperation.Capture);
        LedgerAssert.Holds(ledger, await Service.AllEntries());
        await AssertNoErrorQueueHoldsAMessage();
    }

    [Fact]
    public async Task Commands_missing_a_field_or_with_a_field_of_another_type_are_rejected_naming_it_and_nothing_reaches_an_error_queue()
    {
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var authorise = Authorise(20.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        var paymentId = authorise.PaymentId;

        await Amqp.PublishCommand("refund-payment", $$"""{"paymentId":"{{paymentId}}"}""");
        await Amqp.PublishCommand("authorise-payment", """{"idempotencyKey":"k","amount":10.00,"currency":"EUR"}""", Guid.NewGuid().ToString());
        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"cap-ten","amount":"ten"}""");
        await Amqp.PublishCommand("void-payment", $$$"""{"paymentId":"{{{paymentId}}}","idempotencyKey":{"key":"v"}}""");
        await Amqp.PublishCommand("capture-payment", """{"paymentId":12345,"idempotencyKey":"cap-number-id","amount":1.00}""");

        var seen = (await Amqp.WaitForMessages(rejections, 5)).Select(AmqpClient.EnvelopeMessage).ToList();
        Assert.All(seen, r => Assert.Equal("invalid-command", Text(r, "reasonCode")));
        var reasons = seen.ToDictionary(r => (Text(r, "command"), Text(r, "idempotencyKey")), r => Text(r, "reason"));
        Assert.StartsWith("idempotencyKey: ", reasons[("Refund", "")], StringComparison.Ordinal);
        Assert.Contains("amount: ", reasons[("Refund", "")], StringComparison.Ordinal);
        Assert.Equal(["paymentId", "merchantId", "customerId", "cardToken"], Fields(reasons[("Authorise", "k")]));
        Assert.Equal(["amount"], Fields(reasons[("Capture", "cap-ten")]));
        Assert.Equal(["idempotencyKey"], Fields(reasons[("Void", "")]));
        Assert.Equal(["paymentId"], Fields(reasons[("Capture", "cap-number-id")]));
        Assert.Equal(paymentId.ToString(), Text(seen.Single(r => Text(r, "command") == "Void"), "paymentId"));

        // Nothing was applied, and the payment still takes a valid command.
        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"cap-valid","amount":5.00}""");
        var payment = await Service.WaitForState(paymentId, "PartiallyCaptured");
        Assert.Equal(["Authorise", "Capture"], payment.Operations.Select(o => o.Command));
        LedgerAssert.Holds(await Service.Ledger(paymentId), await Service.AllEntries());
        await AssertNoErrorQueueHoldsAMessage();
    }

    [Fact]
    public async Task Bytes_that_are_not_JSON_still_go_to_the_error_queue()
    {
        await Amqp.PublishCommand("capture-payment", "not json at all", Guid.NewGuid().ToString());

        var error = (await Amqp.WaitForMessages("raw-capture-payment_error")).Single();
        Assert.Equal("not json at all", AmqpClient.Body(error));
    }

    /// <summary>The field names a rejection's reason lists ("amount: required, …").</summary>
    private static List<string> Fields(string? reason) =>
        (reason ?? "").Split(" ").Where(w => w.EndsWith(':')).Select(w => w.TrimEnd(':')).ToList();

    private static string? Text(JsonElement message, string property) => message.GetProperty(property).GetString();

    private async Task AssertNothingStoredOrFaulted(Guid paymentId)
    {
        await using (var scope = Service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            Assert.False(await db.Payments.AnyAsync(p => p.CorrelationId == paymentId, Cancellation));
        }

        await AssertNoErrorQueueHoldsAMessage();
    }

    /// <summary>Every _error queue of the virtual host (declared on a first fault) is read to the end: nothing is there.</summary>
    private async Task AssertNoErrorQueueHoldsAMessage()
    {
        var errorQueues = (await Management.GetQueuesAsync(VirtualHost, Cancellation)).Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal));
        foreach (var queue in errorQueues)
            Assert.Empty(await Amqp.Messages(queue.Name, Cancellation));
    }
}
