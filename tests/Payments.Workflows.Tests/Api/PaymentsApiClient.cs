using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Payments.Workflows.Tests.Api;

/// <summary>The HTTP API as a client sees it: JSON in, JSON out, property names checked exactly.</summary>
public sealed class PaymentsApiClient(HttpClient http)
{
    /// <summary>camelCase, matched case-sensitively, every constructor parameter required: a renamed field fails the test.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        RespectRequiredConstructorParameters = true,
    };

    public HttpClient Http { get; } = http;

    public static string AuthoriseBody(string merchantId, string customerId, decimal amount = 100.00m, string currency = "EUR",
        string cardToken = "tok_visa", Guid? paymentId = null) =>
        JsonSerializer.Serialize(new { paymentId, merchantId, customerId, amount, currency, cardToken }, Json);

    public Task<HttpResponseMessage> Post(string path, string? json, string? idempotencyKey, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        if (idempotencyKey is not null)
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> Authorise(string json, string? idempotencyKey) => Post("/payments", json, idempotencyKey);

    public Task<HttpResponseMessage> Capture(Guid paymentId, decimal amount, string? idempotencyKey) =>
        Post($"/payments/{paymentId}/captures", JsonSerializer.Serialize(new { amount }, Json), idempotencyKey);

    public Task<HttpResponseMessage> Refund(Guid paymentId, decimal amount, string? idempotencyKey) =>
        Post($"/payments/{paymentId}/refunds", JsonSerializer.Serialize(new { amount }, Json), idempotencyKey);

    public Task<HttpResponseMessage> Void(Guid paymentId, string? idempotencyKey) => Post($"/payments/{paymentId}/void", "", idempotencyKey);

    /// <summary>Asserts 202 with a Location naming the payment, and returns its id.</summary>
    public static async Task<Guid> Accepted(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<AcceptedJson>(Json);
        Assert.NotNull(body);
        Assert.Equal($"/payments/{body.PaymentId}", response.Headers.Location?.OriginalString);
        return body.PaymentId;
    }

    /// <summary>Authorises a new payment and waits for the acquirer's answer.</summary>
    public async Task<PaymentJson> Authorised(string merchantId, string customerId, decimal amount = 100.00m, string currency = "EUR")
    {
        var id = await Accepted(await Authorise(AuthoriseBody(merchantId, customerId, amount, currency), $"auth-{Guid.NewGuid():N}"));
        return await WaitForState(id, "Authorised");
    }

    public async Task<PaymentJson> Get(Guid paymentId)
    {
        var response = await Http.GetAsync($"/payments/{paymentId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /payments/{paymentId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PaymentJson>(Json))!;
    }

    public async Task<T> GetJson<T>(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public Task<PaymentJson> WaitForState(Guid paymentId, string state, TimeSpan? timeout = null) =>
        WaitFor(paymentId, p => p.State == state, $"state {state}", timeout);

    /// <summary>Polls GET /payments/{id} until <paramref name="condition"/> holds; fails with the last answer otherwise.</summary>
    public async Task<PaymentJson> WaitFor(Guid paymentId, Func<PaymentJson, bool> condition, string description, TimeSpan? timeout = null) =>
        (await Eventually.Matches(async _ =>
            {
                var response = await Http.GetAsync($"/payments/{paymentId}");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<PaymentJson>(Json) : null;
            },
            last => last is not null && condition(last), $"payment {paymentId} to reach {description}", timeout ?? TimeSpan.FromSeconds(30),
            last => $"state {last?.State ?? "(none)"}"))!;
}
