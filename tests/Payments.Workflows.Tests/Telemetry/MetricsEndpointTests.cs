using System.Net.Http.Headers;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>
/// The Prometheus scrape at /metrics: who may read it, and that our meters, ASP.NET Core's and the runtime's reach it
/// (MassTransit's: <see cref="ServiceProcessMetricsTests"/>).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    [Fact]
    public async Task An_ops_key_reads_the_messaging_HTTP_and_runtime_metrics_after_a_payment_went_through()
    {
        await fixture.Api.Authorised($"merchant-{Guid.NewGuid():N}", "customer-metrics");

        var text = await Eventually.Matches(_ => Scrape(fixture.Factory.CreateClient(), fixture.Factory.Keys.Ops()),
            t => PrometheusScrape.Value(t, "messaging_outbox_sent_total") >= 1,
            "the scrape to show the outbox's sends", describe: t => t);

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
