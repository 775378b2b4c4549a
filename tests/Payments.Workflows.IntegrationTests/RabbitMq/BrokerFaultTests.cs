namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>Broker connections cut mid-stream, and several instances on one broker and database: nothing lost, nothing twice.</summary>
public sealed class BrokerFaultTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const int Payments = 30;

    [Fact]
    public async Task Connections_closed_by_the_broker_mid_stream_lose_and_duplicate_nothing()
    {
        var payments = Enumerable.Range(0, Payments).Select(_ => Authorise(20.00m)).ToList();

        var cut = CloseConnectionsOnceProcessing(payments.Select(p => p.PaymentId), states => states.Any(s => s is not null));
        foreach (var payment in payments)
            await SendUntilConfirmed(Service, payment);
        Assert.True(await cut > 0);
        await WaitForAll(Service, payments, "Authorised");

        cut = CloseConnectionsOnceProcessing(payments.Select(p => p.PaymentId), states => states.Any(s => s == "Captured"));
        foreach (var payment in payments)
            await SendUntilConfirmed(Service, Capture(payment));
        Assert.True(await cut > 0);
        await WaitForAll(Service, payments, "Captured");

        await AssertEachOperationPostedOnce(payments);
    }

    [Fact]
    public async Task Two_instances_on_one_broker_and_database_complete_every_payment_and_post_each_operation_once()
    {
        await using var second = await StartInstance();
        await Eventually.Matches(ct => Management.GetQueueAsync(VirtualHost, "payment-state", ct), q => q?.Consumers == 2,
            "both instances to consume payment-state", Timeout, cancellationToken: Cancellation);
        var payments = Enumerable.Range(0, Payments).Select(_ => Authorise(20.00m)).ToList();

        foreach (var (payment, index) in payments.Select((p, i) => (p, i)))
            await SendUntilConfirmed(index % 2 == 0 ? Service : second, payment);
        await WaitForAll(Service, payments, "Authorised");

        // Each capture from both instances at once, as two publishers retrying the same request: the copies race
        // across instances for the payment's row, and the idempotency key makes them one capture.
        await Task.WhenAll(payments.SelectMany(p => new[] { SendUntilConfirmed(Service, Capture(p)), SendUntilConfirmed(second, Capture(p)) }));
        await WaitForAll(second, payments, "Captured");

        await AssertEachOperationPostedOnce(payments);
    }

    /// <summary>Closes every connection of the virtual host as soon as <paramref name="started"/> holds; returns how many.</summary>
    private Task<int> CloseConnectionsOnceProcessing(IEnumerable<Guid> paymentIds, Func<IReadOnlyList<string?>, bool> started)
    {
        var ids = paymentIds.ToList();
        return Task.Run(async () =>
        {
            await Eventually.Matches(async ct => await States(Service, ids, ct), started,
                "processing to start", StreamTimeout, cancellationToken: Cancellation);

            // The management database lists a (re)opened connection only after a statistics interval.
            return await Eventually.Matches(ct => Management.CloseConnectionsAsync(VirtualHost, "fault injection: connection cut mid-stream", ct),
                closed => closed > 0, "the service's connections to be closed", Timeout, cancellationToken: Cancellation);
        });
    }
}
