using System.Text.Json;

namespace Payments.Workflows.Tests.Api;

/// <summary>GET /payments/{id}, GET /payments and GET /ledger/accounts/{id}.</summary>
public sealed class PaymentQueryApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    [Fact]
    public async Task A_payment_is_returned_with_the_documented_field_names()
    {
        var payment = await Api.Authorised(Merchant, Customer, 10.00m);

        var json = JsonDocument.Parse(await Api.Http.GetStringAsync($"/payments/{payment.PaymentId}")).RootElement;

        foreach (var name in new[] { "paymentId", "merchantId", "customerId", "state", "currency", "authorisedAmount", "capturedAmount",
                     "refundedAmount", "createdAt", "updatedAt", "expiresAt", "rejections", "operations", "ledgerTransactions" })
        {
            Assert.True(json.TryGetProperty(name, out _), $"GET /payments/{{id}} has no '{name}'.");
        }

        Assert.Equal(JsonValueKind.Number, json.GetProperty("authorisedAmount").ValueKind);
        var entry = json.GetProperty("ledgerTransactions")[0].GetProperty("entries")[0];
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("debit").ValueKind);
        Assert.StartsWith("customer:", entry.GetProperty("account").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_payment_is_not_found()
    {
        var unknown = Guid.NewGuid();
        var problem = await ApiAssert.Problem(await Api.Http.GetAsync($"/payments/{unknown}"), HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Detail, StringComparison.Ordinal);

        await ApiAssert.Problem(await Api.Http.GetAsync("/payments/not-a-guid"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Payments_are_listed_newest_first_by_merchant_and_state_a_page_at_a_time()
    {
        var first = await Api.Authorised(Merchant, Customer, 1.00m);
        var second = await Api.Authorised(Merchant, Customer, 2.00m);
        var declinedId = await PaymentsApiClient.Accepted(await Api.Authorise(
            PaymentsApiClient.AuthoriseBody(Merchant, Customer, 3.00m, cardToken: "tok_decline"), $"list-{Guid.NewGuid():N}"));
        await Api.WaitForState(declinedId, "Declined");
        await Api.Authorised($"other-{Merchant}", Customer, 4.00m);

        var all = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}");
        Assert.Equal((3, false, null), (all.Items.Count, all.HasMore, all.NextStartingAfter));
        Assert.Equal([declinedId, second.PaymentId, first.PaymentId], all.Items.Select(i => i.PaymentId));
        Assert.All(all.Items, i => Assert.Equal(Merchant, i.MerchantId));

        var authorised = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&state=Authorised");
        Assert.Equal(2, authorised.Items.Count);
        Assert.All(authorised.Items, i => Assert.Equal("Authorised", i.State));
        var declined = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&state=declined");
        Assert.Equal(declinedId, Assert.Single(declined.Items).PaymentId);

        var page1 = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&limit=2");
        var page2 = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&limit=2&startingAfter={page1.NextStartingAfter}");
        Assert.Equal((2, true), (page1.Items.Count, page1.HasMore));
        Assert.Equal(first.PaymentId, Assert.Single(page2.Items).PaymentId);
        Assert.False(page2.HasMore);

        var everyone = await Api.GetJson<PaymentPageJson>("/payments?limit=100");
        Assert.True(everyone.Items.Count >= 4);
    }

    [Theory]
    [InlineData("page=2", "page")]
    [InlineData("pageSize=20", "pageSize")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("startingAfter=not-a-cursor", "startingAfter")]
    [InlineData("startingAfter=AAAA", "startingAfter")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("createdTo=2026-13-01", "createdTo")]
    [InlineData("createdFrom=2026-12-02T00:00:00Z&createdTo=2026-12-01T00:00:00Z", "createdFrom")]
    [InlineData("state=Sleeping", "state")]
    public async Task Bad_list_parameters_are_refused_naming_the_field(string query, string field)
    {
        await ApiAssert.Problem(await Api.Http.GetAsync($"/payments?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Ledger_account_balances_follow_a_capture()
    {
        var payment = await Api.Authorised(Merchant, Customer, 80.00m);
        var held = await Api.GetJson<AccountJson>($"/ledger/accounts/merchant:{Merchant}");
        Assert.Equal(("EUR", 0m, 80.00m, 0m), Single(held));

        await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 80.00m, "capture-all"));
        await Api.WaitForState(payment.PaymentId, "Captured");

        Assert.Equal(("EUR", 80.00m, 80.00m, 80.00m), Single(await Api.GetJson<AccountJson>($"/ledger/accounts/merchant:{Merchant}")));
        Assert.Equal(("EUR", 80.00m, 80.00m, 80.00m), Single(await Api.GetJson<AccountJson>($"/ledger/accounts/customer:{Customer}")));
    }

    [Fact]
    public async Task An_account_without_entries_is_not_found()
    {
        var problem = await ApiAssert.Problem(await Api.Http.GetAsync("/ledger/accounts/merchant:nobody"), HttpStatusCode.NotFound);
        Assert.Contains("merchant:nobody", problem.Detail, StringComparison.Ordinal);
    }

    private static (string, decimal, decimal, decimal) Single(AccountJson account)
    {
        var balance = Assert.Single(account.Balances);
        return (balance.Currency, balance.Posted, balance.Pending, balance.Available);
    }
}
