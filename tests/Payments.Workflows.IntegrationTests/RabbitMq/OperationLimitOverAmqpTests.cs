using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>
/// Issue 15, item 5 over raw AMQP on PostgreSQL: a payment whose operation log is full answers a new command with
/// PaymentCommandRejected operation-limit, its row stops growing, and no _error queue holds a message.
/// </summary>
public sealed class OperationLimitOverAmqpTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    [Fact]
    public async Task Past_100_operations_a_raw_capture_is_rejected_as_operation_limit_and_the_row_stops_growing()
    {
        var rejections = await Amqp.Observe<PaymentCommandRejected>();
        var authorise = Authorise(20.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        var paymentId = authorise.PaymentId;

        for (var i = 1; i < PaymentState.MaxOperations; i++)
            await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"over-{{i}}","amount":1000.00}""");
        await Amqp.WaitForMessages(rejections, PaymentState.MaxOperations - 1, StreamTimeout);

        await Amqp.PublishCommand("capture-payment", $$"""{"paymentId":"{{paymentId}}","idempotencyKey":"one-too-many","amount":5.00}""");
        var all = await Amqp.WaitForMessages(rejections, PaymentState.MaxOperations);

        var last = all.Select(AmqpClient.EnvelopeMessage).Single(m => m.GetProperty("idempotencyKey").GetString() == "one-too-many");
        Assert.Equal("operation-limit", last.GetProperty("reasonCode").GetString());
        var payment = await Service.Payment(paymentId);
        Assert.Equal((PaymentState.MaxOperations, 0m), (payment!.Operations.Count, payment.CapturedAmount));
        Assert.DoesNotContain(payment.Operations, o => o.IdempotencyKey == "one-too-many");
        var errorQueues = (await Management.GetQueuesAsync(VirtualHost, Cancellation)).Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal));
        foreach (var queue in errorQueues)
            Assert.Empty(await Amqp.Messages(queue.Name, Cancellation));
    }
}
