using System.Net.Http.Headers;
using System.Text;
using Payments.Workflows.Service.Security;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>
/// The built service as its own process (as deployed: one bus per process): after one payment, its /metrics carries
/// MassTransit's meter next to ours. In the test process MassTransit's meter belongs to whichever host used it first,
/// so only a process of its own shows it reliably.
/// </summary>
public sealed class ServiceProcessMetricsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("payments-metrics-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task After_a_payment_the_service_s_scrape_has_MassTransit_s_and_the_outbox_s_counters()
    {
        await using var service = ServiceProcess.Start(_folder.FullName, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Payments"] = $"Data Source={Path.Combine(_folder.FullName, "payments.db")}",
            ["Payments__Acquirer__Latency"] = "00:00:00",
        });
        using var http = new HttpClient { BaseAddress = await service.WaitUntilListening() };
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, "the service to be ready");

        using var authorise = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = new StringContent(PaymentsApiClient.AuthoriseBody("m-1", "customer-metrics"), Encoding.UTF8, "application/json"),
        };
        authorise.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentApiKeys.MerchantOne);
        authorise.Headers.Add("Idempotency-Key", $"metrics-{Guid.NewGuid():N}");
        using var accepted = await http.SendAsync(authorise, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var scrape = new PrometheusScrape(http, () => Task.FromResult(DevelopmentApiKeys.Ops));
        var text = await Eventually.Matches(_ => scrape.Read(),
            t => PrometheusScrape.Value(t, "messaging_outbox_sent_total") >= 1
                && t.Contains("messaging_masstransit_consume_ea_total{", StringComparison.Ordinal)
                && t.Contains("messaging_masstransit_send_ea_total{", StringComparison.Ordinal),
            "the scrape to show MassTransit's consume and send counters and the outbox's sends", describe: t => t);

        Assert.Contains("payment-state", text, StringComparison.Ordinal);
        await service.Stop();
    }
}
