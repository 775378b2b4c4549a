using System.Net.Http.Json;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Security;

/// <summary>Security review §3, access control: merchants see and act on their own payments only.</summary>
public sealed class AccessControlTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private PaymentsApiClient Api => fixture.Api;

    [Fact]
    public async Task A_merchant_key_finds_nothing_of_another_merchant_and_leaves_its_payment_and_ledger_unchanged()
    {
        var (a, b) = (NewMerchant(), NewMerchant());
        var paymentOfB = await Api.Authorised(b, $"customer-{Guid.NewGuid():N}");
        var http = await ClientOf(a);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/payments/{paymentOfB.PaymentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/ledger/accounts/merchant:{b}")).StatusCode);
        foreach (var command in new[] { "captures", "void", "refunds" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/payments/{paymentOfB.PaymentId}/{command}")
            {
                Content = command == "void" ? JsonContent.Create(new { }) : JsonContent.Create(new { amount = 10.00m }),
            };
            request.Headers.Add("Idempotency-Key", $"{command}-{Guid.NewGuid():N}");
            await ApiAssert.Problem(await http.SendAsync(request), HttpStatusCode.NotFound);
        }

        var after = await Api.Get(paymentOfB.PaymentId);
        Assert.Equal("Authorised", after.State);
        Assert.Equal(paymentOfB.LedgerTransactions.Count, after.LedgerTransactions.Count);
        Assert.Equal(0, await fixture.WithDb(db => db.IdempotentRequests.CountAsync(r => r.PaymentId == paymentOfB.PaymentId && r.MerchantId == a)));
    }

    [Fact]
    public async Task A_merchant_lists_only_its_own_payments_and_reads_only_its_own_customers_accounts()
    {
        var (a, b) = (NewMerchant(), NewMerchant());
        var (customerOfA, customerOfB) = ($"customer-{Guid.NewGuid():N}", $"customer-{Guid.NewGuid():N}");
        var paymentOfA = await Api.Authorised(a, customerOfA);
        await Api.Authorised(b, customerOfB);
        var http = await ClientOf(a);

        var all = await http.GetFromJsonAsync<PaymentPageJson>("/payments?limit=100", PaymentsApiClient.Json);
        Assert.NotNull(all);
        Assert.Contains(all.Items, p => p.PaymentId == paymentOfA.PaymentId);
        Assert.All(all.Items, p => Assert.Equal(a, p.MerchantId));
        var asked = await http.GetFromJsonAsync<PaymentPageJson>($"/payments?merchantId={b}", PaymentsApiClient.Json);
        Assert.Empty(asked!.Items);
        Assert.False(asked.HasMore);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/ledger/accounts/customer:{customerOfA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/ledger/accounts/customer:{customerOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/ledger/accounts/merchant:{a}")).StatusCode);
    }

    [Fact]
    public async Task Authorising_for_another_merchant_is_403_with_no_idempotency_record_and_no_outbox_row()
    {
        var (a, b) = (NewMerchant(), NewMerchant());
        var http = await ClientOf(a);
        var key = $"auth-{Guid.NewGuid():N}";
        var cardToken = $"tok_{Guid.NewGuid():N}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = new StringContent(PaymentsApiClient.AuthoriseBody(b, "customer-x", cardToken: cardToken), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        await ApiAssert.Problem(await http.SendAsync(request), HttpStatusCode.Forbidden);

        Assert.Equal(0, await fixture.IdempotentRequestCount(key));
        Assert.Equal(0, await fixture.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.Body.Contains(cardToken))));
        Assert.Equal(0, await fixture.WithDb(db => db.Payments.CountAsync(p => p.MerchantId == b)));
    }

    [Fact]
    public async Task One_authorisation_key_used_by_two_merchants_makes_two_payments_and_a_conflict_names_no_other_merchants_payment()
    {
        var (a, b) = (NewMerchant(), NewMerchant());
        var key = $"order-{Guid.NewGuid():N}";

        var ofA = await PaymentsApiClient.Accepted(await Send(await ClientOf(a), PaymentsApiClient.AuthoriseBody(a, "customer-a"), key));
        var httpB = await ClientOf(b);
        var ofB = await PaymentsApiClient.Accepted(await Send(httpB, PaymentsApiClient.AuthoriseBody(b, "customer-b"), key));
        Assert.NotEqual(ofA, ofB);
        Assert.Equal(b, (await Api.WaitForState(ofB, "Authorised")).MerchantId);

        var conflict = await Send(httpB, PaymentsApiClient.AuthoriseBody(b, "customer-b", 5.00m), key);
        var problem = await ApiAssert.Problem(conflict, HttpStatusCode.Conflict);
        Assert.DoesNotContain(ofA.ToString(), problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(ofB.ToString(), problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    private static string NewMerchant() => $"merchant-{Guid.NewGuid():N}";

    private async Task<HttpClient> ClientOf(string merchant)
    {
        var http = fixture.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await fixture.Factory.Keys.Merchant(merchant));
        return http;
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }
}
