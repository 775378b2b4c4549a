using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Security;

/// <summary>Security review §3 tests 6 and 26: OpenAPI in Production, and the per-key rate limit.</summary>
public sealed class ApiExposureTests
{
    [Fact]
    public async Task In_Production_the_OpenApi_document_is_not_served_unless_the_setting_turns_it_on()
    {
        await using var off = Production();
        var ops = await off.Keys.Ops();
        Assert.StartsWith("sk_live_", ops, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(off, "/openapi/v1.json", ops)).StatusCode);

        await using var on = Production(new() { ["Payments:Api:OpenApi"] = "true" });
        var document = await Get(on, "/openapi/v1.json", await on.Keys.Ops());
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var text = await document.Content.ReadAsStringAsync();
        Assert.Contains("\"scheme\": \"bearer\"", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(on, "/openapi/v1.json", key: null)).StatusCode);
    }

    [Fact]
    public async Task Past_its_rate_a_key_gets_429_with_Retry_After_while_other_keys_and_health_are_not_limited()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["Payments:Api:RateLimit:PermitsPerSecond"] = "1",
            ["Payments:Api:RateLimit:Burst"] = "2",
        });
        var busy = await factory.Keys.Merchant("merchant-busy");
        var other = await factory.Keys.Merchant("merchant-quiet");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
            answers.Add(await Get(factory, "/payments", busy));

        var limited = answers.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(limited is not null, string.Join(", ", answers.Select(r => (int)r.StatusCode)));
        await ApiAssert.Problem(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.True(limited.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, (await Get(factory, "/payments", other)).StatusCode);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await Get(factory, "/health/live", key: null)).StatusCode);
    }

    [Fact]
    public void A_rate_limit_of_zero_fails_start_up_naming_the_setting()
    {
        using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["Payments:Api:RateLimit:Burst"] = "0" });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("Payments__Api__RateLimit__Burst", error.ToString(), StringComparison.Ordinal);
    }

    private static PaymentsApiFactory Production(Dictionary<string, string?>? settings = null) =>
        new(new Dictionary<string, string?>(settings ?? [])
        {
            ["environment"] = "Production",
            ["Payments:AllowInMemoryTransport"] = "true",
        });

    private static Task<HttpResponseMessage> Get(PaymentsApiFactory factory, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
            request.Headers.Authorization = new("Bearer", key);
        return factory.CreateClient().SendAsync(request);
    }
}
