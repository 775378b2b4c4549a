using System.Net.Http.Headers;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>The Prometheus scrape at /metrics: who may read it, and that our meters and MassTransit's reach it.</summary>
public sealed class MetricsEndpointTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    [Fact]
    public async Task An_ops_key_reads_the_messaging_MassTransit_and_HTTP_metrics_after_a_payment_went_through()
    {
        await fixture.Api.Authorised($"merchant-{Guid.NewGuid():N}", "customer-metrics");

        var text = await Eventually.Matches(_ => Scrape(fixture.Factory.CreateClient(), fixture.Factory.Keys.Ops()),
            t => t.Contains("messaging_outbox_sent", StringComparison.Ordinal)
                && t.Contains("messaging_masstransit_consume", StringComparison.Ordinal),
            "the scrape to show the outbox and MassTransit counters", describe: t => t);

        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merchant_key_cannot_read_the_metrics()
    {
        using var http = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.Factory.Keys.Merchant($"merchant-{Guid.NewGuid():N}"));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnonymousMetrics_lets_a_scraper_without_a_key_read_them()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["Payments:Telemetry:AnonymousMetrics"] = "true" });
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private static async Task<string> Scrape(HttpClient http, Task<string> key)
    {
        using (http)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await key);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
    }
}
