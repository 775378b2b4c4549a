namespace Payments.Workflows.Tests.Api;

/// <summary>The README's walk-through and the acquirer's test tokens, through HTTP, the bus and the saga.</summary>
public sealed class PaymentWorkflowApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    [Fact]
    public async Task Authorise_capture_and_refund_end_PartiallyRefunded_with_a_balanced_ledger()
    {
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, 100.00m), "walk-auth"));
        var authorised = await Api.WaitForState(paymentId, "Authorised");
        Assert.Equal(100.00m, authorised.AuthorisedAmount);
        Assert.NotNull(authorised.ExpiresAt);

        await PaymentsApiClient.Accepted(await Api.Capture(paymentId, 60.00m, "walk-capture"));
        var captured = await Api.WaitForState(paymentId, "PartiallyCaptured");
        Assert.Equal(60.00m, captured.CapturedAmount);

        await PaymentsApiClient.Accepted(await Api.Refund(paymentId, 25.00m, "walk-refund"));
        var payment = await Api.WaitForState(paymentId, "PartiallyRefunded");

        Assert.Equal(Merchant, payment.MerchantId);
        Assert.Equal("EUR", payment.Currency);
        Assert.Equal(100.00m, payment.AuthorisedAmount);
        Assert.Equal(60.00m, payment.CapturedAmount);
        Assert.Equal(25.00m, payment.RefundedAmount);
        Assert.Empty(payment.Rejections);
        Assert.Equal(["Authorise", "Capture", "Refund", "Release"], payment.LedgerTransactions.Select(t => t.Operation).Order().ToArray());
        ApiAssert.Balanced(payment.LedgerTransactions);

        // 60 moved to the merchant, 25 came back; the 40 never captured was released.
        foreach (var account in new[] { $"customer:{Customer}", $"merchant:{Merchant}" })
        {
            var balances = await Api.GetJson<AccountJson>($"/ledger/accounts/{account}");
            Assert.Equal(account, balances.AccountId);
            var eur = Assert.Single(balances.Balances);
            Assert.Equal(("EUR", 35.00m, 35.00m, 35.00m), (eur.Currency, eur.Posted, eur.Pending, eur.Available));
        }
    }

    [Fact]
    public async Task Repeating_every_command_with_its_key_changes_nothing()
    {
        var body = PaymentsApiClient.AuthoriseBody(Merchant, Customer, 100.00m);
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(body, "repeat-auth"));
        await Api.WaitForState(paymentId, "Authorised");
        await PaymentsApiClient.Accepted(await Api.Capture(paymentId, 60.00m, "repeat-capture"));
        await Api.WaitForState(paymentId, "PartiallyCaptured");
        await PaymentsApiClient.Accepted(await Api.Refund(paymentId, 25.00m, "repeat-refund"));
        var before = await Api.WaitForState(paymentId, "PartiallyRefunded");

        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await Api.Authorise(body, "repeat-auth")));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await Api.Capture(paymentId, 60.00m, "repeat-capture")));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await Api.Refund(paymentId, 25.00m, "repeat-refund")));

        // Each repeat reached the saga and was answered with its first outcome, not applied again.
        await Eventually.Matches(_ => Task.FromResult((
                Authorised: Fixture.Published<PaymentAuthorised>().Count(e => e.PaymentId == paymentId),
                Captured: Fixture.Published<PaymentCaptured>().Count(e => e.PaymentId == paymentId),
                Refunded: Fixture.Published<PaymentRefunded>().Count(e => e.PaymentId == paymentId))),
            seen => seen == (2, 2, 2), "each event published twice (authorised, captured, refunded)");
        Assert.All(Fixture.Published<PaymentCaptured>().Where(e => e.PaymentId == paymentId), e => Assert.Equal(60.00m, e.CapturedAmount));
        Assert.All(Fixture.Published<PaymentRefunded>().Where(e => e.PaymentId == paymentId), e => Assert.Equal(25.00m, e.RefundedAmount));

        var after = await Api.Get(paymentId);
        Assert.Equal((before.State, before.AuthorisedAmount, before.CapturedAmount, before.RefundedAmount),
            (after.State, after.AuthorisedAmount, after.CapturedAmount, after.RefundedAmount));
        Assert.Equal(before.LedgerTransactions.Select(t => t.TransactionId), after.LedgerTransactions.Select(t => t.TransactionId));
        Assert.Empty(after.Rejections);
        foreach (var key in new[] { "repeat-auth", "repeat-capture", "repeat-refund" })
            Assert.Equal(1, await Fixture.IdempotentRequestCount(key));
    }

    [Fact]
    public async Task Repeating_a_void_with_its_key_changes_nothing()
    {
        var payment = await Api.Authorised(Merchant, Customer);
        await PaymentsApiClient.Accepted(await Api.Void(payment.PaymentId, "void-once"));
        var before = await Api.WaitForState(payment.PaymentId, "Voided");

        await PaymentsApiClient.Accepted(await Api.Void(payment.PaymentId, "void-once"));

        await Eventually.Matches(_ => Task.FromResult(Fixture.Published<PaymentVoided>().Count(e => e.PaymentId == payment.PaymentId)),
            voided => voided == 2, "PaymentVoided published twice");
        var after = await Api.Get(payment.PaymentId);
        Assert.Equal("Voided", after.State);
        Assert.Equal(before.LedgerTransactions.Count, after.LedgerTransactions.Count);
        Assert.Equal(["Authorise", "Void"], after.LedgerTransactions.Select(t => t.Operation).Order().ToArray());
        ApiAssert.Balanced(after.LedgerTransactions);
    }

    [Fact]
    public async Task A_declined_card_ends_Declined_with_nothing_on_the_ledger()
    {
        var body = PaymentsApiClient.AuthoriseBody(Merchant, Customer, cardToken: "tok_decline");
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(body, $"decline-{Guid.NewGuid():N}"));

        var payment = await Api.WaitForState(paymentId, "Declined");
        Assert.Equal(0m, payment.AuthorisedAmount);
        Assert.Empty(payment.LedgerTransactions);
    }

    [Fact]
    public async Task A_card_that_fails_transiently_is_retried_and_ends_Authorised()
    {
        var body = PaymentsApiClient.AuthoriseBody(Merchant, Customer, 42.50m, cardToken: "tok_transient");
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(body, $"transient-{Guid.NewGuid():N}"));

        var payment = await Api.WaitForState(paymentId, "Authorised");
        Assert.Equal(42.50m, payment.AuthorisedAmount);
        Assert.Equal("Authorise", Assert.Single(payment.LedgerTransactions).Operation);
    }
}
