namespace Payments.Workflows.Tests.Api;

/// <summary>Commands the API accepts but the saga refuses: the rejection shows on the payment, nothing else changes.</summary>
public sealed class RejectedCommandApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    [Fact]
    public async Task Capture_beyond_the_authorised_amount_is_rejected()
    {
        var payment = await Api.Authorised(Merchant, Customer, 100.00m);

        await RejectedLeavingUnchanged(payment, Api.Capture(payment.PaymentId, 100.01m, "too-much"),
            "too-much", "Capture", "amount-exceeds-authorised");
    }

    [Fact]
    public async Task Refund_beyond_the_captured_amount_is_rejected()
    {
        var payment = await Api.Authorised(Merchant, Customer, 100.00m);
        var captured = await Settled(Api.Capture(payment.PaymentId, 60.00m, "capture-60"), payment.PaymentId, "PartiallyCaptured");

        await RejectedLeavingUnchanged(captured, Api.Refund(payment.PaymentId, 60.01m, "refund-too-much"),
            "refund-too-much", "Refund", "amount-exceeds-captured");
    }

    [Fact]
    public async Task Capture_after_a_void_is_rejected()
    {
        var payment = await Api.Authorised(Merchant, Customer, 100.00m);
        var voided = await Settled(Api.Void(payment.PaymentId, "void"), payment.PaymentId, "Voided");

        await RejectedLeavingUnchanged(voided, Api.Capture(payment.PaymentId, 10.00m, "capture-after-void"),
            "capture-after-void", "Capture", "invalid-state");
    }

    [Fact]
    public async Task A_rejected_command_repeated_with_its_key_is_still_rejected_once()
    {
        var payment = await Api.Authorised(Merchant, Customer, 100.00m);
        await Rejected(Api.Capture(payment.PaymentId, 500.00m, "rejected-twice"), payment.PaymentId, "rejected-twice",
            "Capture", "amount-exceeds-authorised");

        await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 500.00m, "rejected-twice"));

        // The repeat is answered with the first rejection again, and not recorded twice.
        await Eventually.Matches(_ => Task.FromResult(Fixture.Published<PaymentCommandRejected>()
                .Count(e => e.PaymentId == payment.PaymentId && e.IdempotencyKey == "rejected-twice")),
            rejections => rejections == 2, "the rejection published twice");
        var after = await Settled(Api.Capture(payment.PaymentId, 10.00m, "after"), payment.PaymentId, "PartiallyCaptured");
        Assert.Single(after.Rejections);
        Assert.Equal(10.00m, after.CapturedAmount);
    }

    /// <summary>Sends a command the API accepts and waits for the payment to reach <paramref name="state"/>.</summary>
    private async Task<PaymentJson> Settled(Task<HttpResponseMessage> send, Guid paymentId, string state)
    {
        await PaymentsApiClient.Accepted(await send);
        return await Api.WaitForState(paymentId, state);
    }

    /// <summary>
    /// Sends a command the API accepts and waits for the saga's rejection of it (by <paramref name="key"/>), the only one
    /// on the payment, with that command and reason.
    /// </summary>
    private async Task<PaymentJson> Rejected(Task<HttpResponseMessage> send, Guid paymentId, string key, string command, string reasonCode)
    {
        await PaymentsApiClient.Accepted(await send);
        var payment = await Api.WaitFor(paymentId, p => p.Rejections.Any(r => r.IdempotencyKey == key), $"a rejection of {key}");
        var rejection = Assert.Single(payment.Rejections);
        Assert.Equal((command, reasonCode), (rejection.Command, rejection.ReasonCode));
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
        return payment;
    }

    /// <summary>
    /// Sends a command the saga must reject (see <see cref="Rejected"/>), and checks that nothing else on the payment
    /// changed from <paramref name="before"/>.
    /// </summary>
    private async Task RejectedLeavingUnchanged(PaymentJson before, Task<HttpResponseMessage> send, string key, string command, string reasonCode) =>
        Unchanged(before, await Rejected(send, before.PaymentId, key, command, reasonCode));

    private static void Unchanged(PaymentJson before, PaymentJson after)
    {
        Assert.Equal((before.State, before.AuthorisedAmount, before.CapturedAmount, before.RefundedAmount),
            (after.State, after.AuthorisedAmount, after.CapturedAmount, after.RefundedAmount));
        Assert.Equal(before.LedgerTransactions.Select(t => t.TransactionId), after.LedgerTransactions.Select(t => t.TransactionId));
        ApiAssert.Balanced(after.LedgerTransactions);
    }
}
