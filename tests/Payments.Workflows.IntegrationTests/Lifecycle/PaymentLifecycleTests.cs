using Payments.Workflows.IntegrationTests.RabbitMq;

namespace Payments.Workflows.IntegrationTests.Lifecycle;

/// <summary>The whole workflow on real RabbitMQ and PostgreSQL, with production registration.</summary>
public sealed class PaymentLifecycleTests(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    private ServiceHost _service = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _service = await ServiceHost.Start(
            await rabbitMq.CreateVirtualHostAsync("lifecycle", ct),
            await postgres.CreateDatabaseAsync("lifecycle", ct),
            new Dictionary<string, string?> { ["Payments:HoldDuration"] = "00:00:02" });
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Authorise_capture_and_refund_through_RabbitMQ_and_PostgreSQL_leave_a_balanced_ledger()
    {
        var authorise = ServiceOnRabbitMq.Authorise(100.00m);

        await _service.Send(authorise);
        await _service.WaitForState(authorise.PaymentId, "Authorised");
        await _service.Send(new CapturePayment { PaymentId = authorise.PaymentId, IdempotencyKey = "capture-1", Amount = 60.00m });
        await _service.WaitForState(authorise.PaymentId, "PartiallyCaptured");
        await _service.Send(new RefundPayment { PaymentId = authorise.PaymentId, IdempotencyKey = "refund-1", Amount = 25.00m });
        var payment = await _service.WaitForState(authorise.PaymentId, "PartiallyRefunded");

        Assert.Equal((100.00m, 60.00m, 25.00m), (payment.AuthorisedAmount, payment.CapturedAmount, payment.RefundedAmount));
        var ledger = await _service.Ledger(authorise.PaymentId);
        Assert.Equal(4, ledger.Count);
        LedgerAssert.Holds(ledger, await _service.AllEntries());
    }

    [Fact]
    public async Task Same_capture_published_twice_with_new_message_ids_posts_once()
    {
        var authorise = ServiceOnRabbitMq.Authorise(50.00m);
        await _service.Send(authorise);
        await _service.WaitForState(authorise.PaymentId, "Authorised");
        var capture = new CapturePayment { PaymentId = authorise.PaymentId, IdempotencyKey = "capture-twice", Amount = 50.00m };

        await _service.Send(capture);
        await _service.Send(capture);
        await _service.WaitForState(authorise.PaymentId, "Captured");
        var extra = new CapturePayment { PaymentId = authorise.PaymentId, IdempotencyKey = "after", Amount = 1.00m };
        await _service.Send(extra);

        // The later command is handled after both copies (one queue, one payment): once it is rejected, the
        // duplicate has certainly been seen too. The log then holds the authorisation, one capture, the rejection.
        var operations = await Eventually.Matches(async ct => (await _service.Payment(authorise.PaymentId, ct))!.Operations,
            ops => ops.Exists(o => o.IdempotencyKey == "after"), "the extra capture to be rejected", TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([("Authorise", true), ("Capture", true), ("Capture", false)], operations.Select(o => (o.Command, o.Accepted)));
        var ledger = await _service.Ledger(authorise.PaymentId);
        Assert.Single(ledger, t => t.Operation == LedgerOperation.Capture);
        Assert.Equal(50.00m, (await _service.Payment(authorise.PaymentId))!.CapturedAmount);
    }

    [Fact]
    public async Task An_uncaptured_hold_expires_on_RabbitMQ_without_a_broker_plugin()
    {
        var authorise = ServiceOnRabbitMq.Authorise(30.00m);

        await _service.Send(authorise);

        await _service.WaitForState(authorise.PaymentId, "Expired", TimeSpan.FromSeconds(60));
        var ledger = await _service.Ledger(authorise.PaymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Expire], ledger.Select(t => t.Operation));
        LedgerAssert.Holds(ledger, await _service.AllEntries());
    }

    [Fact]
    public async Task A_declined_card_ends_Declined_with_no_posting()
    {
        var authorise = ServiceOnRabbitMq.Authorise(10.00m, "tok_decline");

        await _service.Send(authorise);

        await _service.WaitForState(authorise.PaymentId, "Declined");
        Assert.Empty(await _service.Ledger(authorise.PaymentId));
    }
}
