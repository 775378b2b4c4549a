namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>Partitioning by PaymentId on the saga endpoint: one payment's commands are applied one at a time, in arrival order.</summary>
public sealed class PaymentOrderingTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const int Captures = 25;

    // Plenty of concurrency on the endpoint: without partitioning, commands for one payment would race for its row.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:RabbitMq:ConcurrentMessageLimit"] = "32",
        ["Payments:RabbitMq:PrefetchCount"] = "64",
    };

    [Fact]
    public async Task A_burst_of_captures_for_one_payment_is_applied_one_at_a_time_in_the_order_it_arrived()
    {
        var authorise = Authorise(Captures);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        var keys = Enumerable.Range(1, Captures).Select(i => $"cap-{i:D2}").ToList();

        // Each send returns once the broker has confirmed it, so the queue holds them in this order.
        foreach (var key in keys)
            await Service.Send(new CapturePayment { PaymentId = authorise.PaymentId, IdempotencyKey = key, Amount = 1.00m });

        var payment = await Service.WaitForState(authorise.PaymentId, "Captured");
        var applied = payment.Operations.Where(o => o.Command == "Capture").OrderBy(o => o.RecordedAt).Select(o => o.IdempotencyKey).ToList();

        // RabbitMQ.Client hands deliveries to MassTransit concurrently (up to the endpoint's limit), so they may reach
        // the partitioner in any order; the partitioner still admits them in delivery order, one at a time. Without it
        // they race for the payment's row; with MassTransit's own partitioner one held up on the way lands late.
        Assert.Equal(keys, applied);
        Assert.Equal(Enumerable.Range(1, Captures).Select(i => (decimal)i), payment.Operations.Where(o => o.Command == "Capture")
            .OrderBy(o => o.RecordedAt).Select(o => o.ResultAmount!.Value));
    }
}
