using Payments.Workflows.Contracts;
using Payments.Workflows.Tests.Support;

namespace Payments.Workflows.Tests.Api;

/// <summary>The README's walk-through and the acquirer's test tokens, through HTTP, the bus and the saga.</summary>
public sealed class PaymentWorkflowApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private readonly PaymentsApiClient _api = fixture.Api;
    private readonly string _merchant = $"m-{Guid.NewGuid():N}"[..20];
    private readonly string _customer = $"c-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Authorise_capture_and_refund_end_PartiallyRefunded_with_a_balanced_ledger()
    {
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(PaymentsApiClient.AuthoriseBody(_merchant, _customer, 100.00m), "walk-auth"));
        var authorised = await _api.WaitForState(paymentId, "Authorised");
        Assert.Equal(100.00m, authorised.AuthorisedAmount);
        Assert.NotNull(authorised.ExpiresAt);

        await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 60.00m, "walk-capture"));
        var captured = await _api.WaitForState(paymentId, "PartiallyCaptured");
        Assert.Equal(60.00m, captured.CapturedAmount);

        await PaymentsApiClient.Accepted(await _api.Refund(paymentId, 25.00m, "walk-refund"));
        var payment = await _api.WaitForState(paymentId, "PartiallyRefunded");

        Assert.Equal(_merchant, payment.MerchantId);
        Assert.Equal("EUR", payment.Currency);
        Assert.Equal(100.00m, payment.AuthorisedAmount);
        Assert.Equal(60.00m, payment.CapturedAmount);
        Assert.Equal(25.00m, payment.RefundedAmount);
        Assert.Empty(payment.Rejections);
        Assert.Equal(["Authorise", "Capture", "Refund", "Release"], payment.LedgerTransactions.Select(t => t.Operation).Order().ToArray());
        ApiAssert.Balanced(payment.LedgerTransactions);

        // 60 moved to the merchant, 25 came back; the 40 never captured was released.
        foreach (var account in new[] { $"customer:{_customer}", $"merchant:{_merchant}" })
        {
            var balances = await _api.GetJson<AccountJson>($"/ledger/accounts/{account}");
            Assert.Equal(account, balances.AccountId);
            var eur = Assert.Single(balances.Balances);
            Assert.Equal(("EUR", 35.00m, 35.00m, 35.00m), (eur.Currency, eur.Posted, eur.Pending, eur.Available));
        }
    }

    [Fact]
    public async Task Repeating_every_command_with_its_key_changes_nothing()
    {
        var body = PaymentsApiClient.AuthoriseBody(_merchant, _customer, 100.00m);
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(body, "repeat-auth"));
        await _api.WaitForState(paymentId, "Authorised");
        await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 60.00m, "repeat-capture"));
        await _api.WaitForState(paymentId, "PartiallyCaptured");
        await PaymentsApiClient.Accepted(await _api.Refund(paymentId, 25.00m, "repeat-refund"));
        var before = await _api.WaitForState(paymentId, "PartiallyRefunded");

        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Authorise(body, "repeat-auth")));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 60.00m, "repeat-capture")));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Refund(paymentId, 25.00m, "repeat-refund")));

        // Each repeat reached the saga and was answered with its first outcome, not applied again.
        Assert.True(await Wait.Until(() => Task.FromResult(
            fixture.Published<PaymentAuthorised>().Count(e => e.PaymentId == paymentId) == 2
            && fixture.Published<PaymentCaptured>().Count(e => e.PaymentId == paymentId) == 2
            && fixture.Published<PaymentRefunded>().Count(e => e.PaymentId == paymentId) == 2)));
        Assert.All(fixture.Published<PaymentCaptured>().Where(e => e.PaymentId == paymentId), e => Assert.Equal(60.00m, e.CapturedAmount));
        Assert.All(fixture.Published<PaymentRefunded>().Where(e => e.PaymentId == paymentId), e => Assert.Equal(25.00m, e.RefundedAmount));

        var after = await _api.Get(paymentId);
        Assert.Equal((before.State, before.AuthorisedAmount, before.CapturedAmount, before.RefundedAmount),
            (after.State, after.AuthorisedAmount, after.CapturedAmount, after.RefundedAmount));
        Assert.Equal(before.LedgerTransactions.Select(t => t.TransactionId), after.LedgerTransactions.Select(t => t.TransactionId));
        Assert.Empty(after.Rejections);
        foreach (var key in new[] { "repeat-auth", "repeat-capture", "repeat-refund" })
            Assert.Equal(1, await fixture.IdempotentRequestCount(key));
    }

    [Fact]
    public async Task Repeating_a_void_with_its_key_changes_nothing()
    {
        var payment = await _api.Authorised(_merchant, _customer);
        await PaymentsApiClient.Accepted(await _api.Void(payment.PaymentId, "void-once"));
        var before = await _api.WaitForState(payment.PaymentId, "Voided");

        await PaymentsApiClient.Accepted(await _api.Void(payment.PaymentId, "void-once"));

        Assert.True(await Wait.Until(() => Task.FromResult(fixture.Published<PaymentVoided>().Count(e => e.PaymentId == payment.PaymentId) == 2)));
        var after = await _api.Get(payment.PaymentId);
        Assert.Equal("Voided", after.State);
        Assert.Equal(before.LedgerTransactions.Count, after.LedgerTransactions.Count);
        Assert.Equal(["Authorise", "Void"], after.LedgerTransactions.Select(t => t.Operation).Order().ToArray());
        ApiAssert.Balanced(after.LedgerTransactions);
    }

    [Fact]
    public async Task A_declined_card_ends_Declined_with_nothing_on_the_ledger()
    {
        var body = PaymentsApiClient.AuthoriseBody(_merchant, _customer, cardToken: "tok_decline");
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(body, $"decline-{Guid.NewGuid():N}"));

        var payment = await _api.WaitForState(paymentId, "Declined");
        Assert.Equal(0m, payment.AuthorisedAmount);
        Assert.Empty(payment.LedgerTransactions);
    }

    [Fact]
    public async Task A_card_that_fails_transiently_is_retried_and_ends_Authorised()
    {
        var body = PaymentsApiClient.AuthoriseBody(_merchant, _customer, 42.50m, cardToken: "tok_transient");
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(body, $"transient-{Guid.NewGuid():N}"));

        var payment = await _api.WaitForState(paymentId, "Authorised");
        Assert.Equal(42.50m, payment.AuthorisedAmount);
        Assert.Equal("Authorise", Assert.Single(payment.LedgerTransactions).Operation);
    }
}
