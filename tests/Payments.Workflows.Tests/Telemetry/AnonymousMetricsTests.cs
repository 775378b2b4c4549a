using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>Payments:Telemetry:AnonymousMetrics=true: a Prometheus on a private network scrapes without a key.</summary>
[Collection(MetricsCollection.Name)]
public sealed class AnonymousMetricsTests
{
    [Fact]
    public async Task AnonymousMetrics_lets_a_scraper_without_a_key_read_them()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["Payments:Telemetry:AnonymousMetrics"] = "true" });
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
