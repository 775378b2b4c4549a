namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>The broker restarted mid-stream (rabbitmqctl stop_app / start_app): processing resumes, nothing lost, nothing twice.</summary>
[Collection(BrokerRestartCollection.Name)]
public sealed class BrokerRestartTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const int Payments = 40;

    [Fact]
    public async Task A_broker_restart_mid_stream_loses_and_duplicates_nothing()
    {
        var payments = Enumerable.Range(0, Payments).Select(_ => Authorise(20.00m)).ToList();
        var before = payments[..(Payments / 2)];
        var duringOutage = payments[(Payments / 2)..];
        foreach (var payment in before)
            await SendUntilConfirmed(Service, payment);

        // Mid-stream: the first payments are authorised, the rest of the first half may still wait in payment-state,
        // in the outbox or between the saga and the acquirer, and the second half is sent while the broker is down.
        await Eventually.Matches(ct => States(Service, before.Select(p => p.PaymentId).ToList(), ct), states => states.Any(s => s == "Authorised"),
            "the first payment to be authorised", StreamTimeout, cancellationToken: Cancellation);

        var capturedDuringOutage = new List<AuthorisePayment>();
        var sendsDuringOutage = Task.CompletedTask;
        await RabbitMq.RestartAsync(async ct =>
        {
            var states = await States(Service, before.Select(p => p.PaymentId).ToList(), ct);
            capturedDuringOutage.AddRange(before.Where((_, i) => states[i] == "Authorised"));

            // Publishers keep sending while the broker is down; it stays down until one of their sends has failed.
            var failedBefore = FailedSends;
            sendsDuringOutage = Task.Run(async () =>
            {
                foreach (var payment in duringOutage)
                    await SendUntilConfirmed(Service, payment);
                foreach (var payment in capturedDuringOutage)
                    await SendUntilConfirmed(Service, Capture(payment));
            }, ct);
            await Eventually.Matches(_ => Task.FromResult(FailedSends), n => n > failedBefore, "a send to fail while the broker is down",
                Timeout, cancellationToken: ct);
        }, Cancellation);

        await sendsDuringOutage;
        await WaitForAll(Service, payments, s => s is "Authorised" or "Captured", "authorised (or captured, if captured during the outage)");

        foreach (var payment in payments.Except(capturedDuringOutage))
            await SendUntilConfirmed(Service, Capture(payment));
        await WaitForAll(Service, payments, "Captured");

        await AssertEachOperationPostedOnce(payments);
    }
}
