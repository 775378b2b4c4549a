namespace Payments.Workflows.Tests.Api;

/// <summary>What the API can see is wrong gets a problem response naming the field, and nothing is sent.</summary>
public sealed class BadInputApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>, IAsyncLifetime
{
    private const string Valid = """{"merchantId":"m-bad-input","customerId":"c-bad-input","amount":100.00,"currency":"EUR","cardToken":"tok_visa"}""";

    private readonly PaymentsApiClient _api = fixture.Api;
    private Guid _paymentId;
    private int _requestsBefore;

    public async ValueTask InitializeAsync()
    {
        _paymentId = (await _api.Authorised("m-bad-input", "c-bad-input")).PaymentId;
        _requestsBefore = await RequestCount();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("""{"merchantId":"m-1","customerId":""", "body")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("", "body")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":"100.00","currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":0,"currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":-5.00,"currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10.001,"currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10.5,"currency":"JPY","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":1000000000.01,"currency":"EUR","cardToken":"tok_visa"}""", "amount")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10,"currency":"XXX","cardToken":"tok_visa"}""", "currency")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10,"currency":"eur","cardToken":"tok_visa"}""", "currency")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10,"cardToken":"tok_visa"}""", "currency")]
    [InlineData("""{"customerId":"c-1","amount":10,"currency":"EUR","cardToken":"tok_visa"}""", "merchantId")]
    [InlineData("""{"merchantId":"m-1","customerId":" ","amount":10,"currency":"EUR","cardToken":"tok_visa"}""", "customerId")]
    [InlineData("""{"merchantId":"m-1","customerId":"c-1","amount":10,"currency":"EUR"}""", "cardToken")]
    [InlineData("""{"paymentId":"not-a-guid","merchantId":"m-1","customerId":"c-1","amount":10,"currency":"EUR","cardToken":"tok_visa"}""", "paymentId")]
    [InlineData("""{"paymentId":"00000000-0000-0000-0000-000000000000","merchantId":"m-1","customerId":"c-1","amount":10,"currency":"EUR","cardToken":"tok_visa"}""", "paymentId")]
    public async Task A_bad_authorisation_is_refused_naming_the_field(string body, string field)
    {
        await ApiAssert.Problem(await _api.Authorise(body, $"bad-{Guid.NewGuid():N}"), HttpStatusCode.BadRequest, field);
        Assert.Equal(_requestsBefore, await RequestCount());
    }

    [Fact]
    public async Task An_over_long_merchant_id_is_refused()
    {
        var body = PaymentsApiClient.AuthoriseBody(new string('m', 65), "c-1");
        await ApiAssert.Problem(await _api.Authorise(body, $"bad-{Guid.NewGuid():N}"), HttpStatusCode.BadRequest, "merchantId");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(256)]
    public async Task A_missing_or_over_long_idempotency_key_is_refused(object? key)
    {
        var header = key is int length ? new string('k', length) : (string?)key;

        await ApiAssert.Problem(await _api.Authorise(Valid, header), HttpStatusCode.BadRequest, "Idempotency-Key");
        await ApiAssert.Problem(await _api.Capture(_paymentId, 1.00m, header), HttpStatusCode.BadRequest, "Idempotency-Key");
        await ApiAssert.Problem(await _api.Void(_paymentId, header), HttpStatusCode.BadRequest, "Idempotency-Key");
        await ApiAssert.Problem(await _api.Refund(_paymentId, 1.00m, header), HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Equal(_requestsBefore, await RequestCount());
    }

    [Fact]
    public async Task A_key_of_255_characters_is_accepted()
    {
        await PaymentsApiClient.Accepted(await _api.Capture(_paymentId, 1.00m, new string('k', 255)));
    }

    [Theory]
    [InlineData("captures", """{"amount":0}""", "amount")]
    [InlineData("captures", """{"amount":-1.00}""", "amount")]
    [InlineData("captures", """{"amount":1.001}""", "amount")]
    [InlineData("captures", """{"amount":2000000000}""", "amount")]
    [InlineData("captures", """{"amount":"1.00"}""", "amount")]
    [InlineData("captures", """{}""", "amount")]
    [InlineData("captures", """{"amount":""", "body")]
    [InlineData("captures", "", "body")]
    [InlineData("refunds", """{"amount":0.001}""", "amount")]
    [InlineData("refunds", """{"amount":-3}""", "amount")]
    [InlineData("refunds", """{"amount":null}""", "amount")]
    [InlineData("void", """{"reason":""", "body")]
    public async Task A_bad_payment_command_is_refused_naming_the_field(string command, string body, string field)
    {
        await ApiAssert.Problem(await _api.Post($"/payments/{_paymentId}/{command}", body, $"bad-{Guid.NewGuid():N}"), HttpStatusCode.BadRequest, field);
        Assert.Equal(_requestsBefore, await RequestCount());
    }

    [Theory]
    [InlineData("captures", """{"amount":1.00}""")]
    [InlineData("refunds", """{"amount":1.00}""")]
    [InlineData("void", "")]
    public async Task A_command_for_an_unknown_payment_is_not_found(string command, string? body)
    {
        var unknown = Guid.NewGuid();
        var problem = await ApiAssert.Problem(await _api.Post($"/payments/{unknown}/{command}", body, "k"), HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.Detail, StringComparison.Ordinal);

        var notAGuid = await ApiAssert.Problem(await _api.Post($"/payments/not-a-guid/{command}", body, "k"), HttpStatusCode.NotFound);
        Assert.Contains("not-a-guid", notAGuid.Detail, StringComparison.Ordinal);
        Assert.Equal(_requestsBefore, await RequestCount());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_unsupported()
    {
        var response = await _api.Post("/payments", "merchantId=m-1", "form-key", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<int> RequestCount() => fixture.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.IdempotentRequests));
}
