using System.Net;
using System.Text.Json;

namespace Payments.Workflows.Tests.Api;

/// <summary>GET /payments/{id}, GET /payments and GET /ledger/accounts/{id}.</summary>
public sealed class PaymentQueryApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private readonly PaymentsApiClient _api = fixture.Api;
    private readonly string _merchant = $"m-{Guid.NewGuid():N}"[..20];
    private readonly string _customer = $"c-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_payment_is_returned_with_the_documented_field_names()
    {
        var payment = await _api.Authorised(_merchant, _customer, 10.00m);

        var json = JsonDocument.Parse(await _api.Http.GetStringAsync($"/payments/{payment.PaymentId}")).RootElement;

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
        var problem = await ApiAssert.Problem(await _api.Http.GetAsync($"/payments/{unknown}"), HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Detail, StringComparison.Ordinal);

        await ApiAssert.Problem(await _api.Http.GetAsync("/payments/not-a-guid"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Payments_are_listed_newest_first_by_merchant_and_state_a_page_at_a_time()
    {
        var first = await _api.Authorised(_merchant, _customer, 1.00m);
        var second = await _api.Authorised(_merchant, _customer, 2.00m);
        var declinedId = await PaymentsApiClient.Accepted(await _api.Authorise(
            PaymentsApiClient.AuthoriseBody(_merchant, _customer, 3.00m, cardToken: "tok_decline"), $"list-{Guid.NewGuid():N}"));
        await _api.WaitForState(declinedId, "Declined");
        await _api.Authorised($"other-{_merchant}", _customer, 4.00m);

        var all = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}");
        Assert.Equal((3, 1, 50), (all.Total, all.Page, all.PageSize));
        Assert.Equal([declinedId, second.PaymentId, first.PaymentId], all.Items.Select(i => i.PaymentId));
        Assert.All(all.Items, i => Assert.Equal(_merchant, i.MerchantId));

        var authorised = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}&state=Authorised");
        Assert.Equal(2, authorised.Total);
        Assert.All(authorised.Items, i => Assert.Equal("Authorised", i.State));
        var declined = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}&state=declined");
        Assert.Equal(declinedId, Assert.Single(declined.Items).PaymentId);

        var page1 = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}&page=1&pageSize=2");
        var page2 = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}&page=2&pageSize=2");
        var page3 = await _api.GetJson<PaymentPageJson>($"/payments?merchantId={_merchant}&page=3&pageSize=2");
        Assert.Equal((3, 2, 2), (page1.Total, page1.Items.Count, page1.PageSize));
        Assert.Equal(first.PaymentId, Assert.Single(page2.Items).PaymentId);
        Assert.Empty(page3.Items);

        var everyone = await _api.GetJson<PaymentPageJson>("/payments?pageSize=500");
        Assert.True(everyone.Total >= 4);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("state=Sleeping", "state")]
    public async Task Bad_list_parameters_are_refused_naming_the_field(string query, string field)
    {
        await ApiAssert.Problem(await _api.Http.GetAsync($"/payments?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Ledger_account_balances_follow_a_capture()
    {
        var payment = await _api.Authorised(_merchant, _customer, 80.00m);
        var held = await _api.GetJson<AccountJson>($"/ledger/accounts/merchant:{_merchant}");
        Assert.Equal(("EUR", 0m, 80.00m, 0m), Single(held));

        await PaymentsApiClient.Accepted(await _api.Capture(payment.PaymentId, 80.00m, "capture-all"));
        await _api.WaitForState(payment.PaymentId, "Captured");

        Assert.Equal(("EUR", 80.00m, 80.00m, 80.00m), Single(await _api.GetJson<AccountJson>($"/ledger/accounts/merchant:{_merchant}")));
        Assert.Equal(("EUR", 80.00m, 80.00m, 80.00m), Single(await _api.GetJson<AccountJson>($"/ledger/accounts/customer:{_customer}")));
    }

    [Fact]
    public async Task An_account_without_entries_is_not_found()
    {
        var problem = await ApiAssert.Problem(await _api.Http.GetAsync("/ledger/accounts/merchant:nobody"), HttpStatusCode.NotFound);
        Assert.Contains("merchant:nobody", problem.Detail, StringComparison.Ordinal);
    }

    private static (string, decimal, decimal, decimal) Single(AccountJson account)
    {
        var balance = Assert.Single(account.Balances);
        return (balance.Currency, balance.Posted, balance.Pending, balance.Available);
    }
}
