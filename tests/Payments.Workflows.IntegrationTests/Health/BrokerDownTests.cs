using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Payments.Workflows.IntegrationTests.Health;

/// <summary>
/// The service on RabbitMQ and PostgreSQL, started while nothing listens where its broker should be: it starts, is
/// live, is ready but Degraded, and accepts commands into its outbox; when the broker comes, the payment completes
/// and readiness is Healthy, without a restart.
/// </summary>
public sealed class BrokerDownTests(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private BrokerPort _port = null!;
    private WebApplicationFactory<Program> _service = null!;
    private HttpClient _http = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var broker = await rabbitMq.CreateVirtualHostAsync("brokerdown", Cancellation);
        var database = await postgres.CreateDatabaseAsync("brokerdown", Cancellation);
        _port = new BrokerPort(broker);
        var settings = TestSettings.For("PostgreSql", database).OnRabbitMq(_port.Through(broker), quorumQueues: false).WarningsOnly();
        _service = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
                host.UseSetting(key, value);
        });
        _http = _service.CreateDefaultClient(new ApiKeyHandler(new TestApiKeys(_service.Services)));
    }

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        await _port.DisposeAsync();
    }

    [Fact]
    public async Task Without_its_broker_the_service_starts_ready_Degraded_accepts_a_payment_and_completes_it_when_the_broker_comes()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health/live", Cancellation)).StatusCode);
        var (code, status, checks) = await Ready();
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Degraded", status);
        Assert.Equal("Degraded", checks["masstransit-bus"]);
        Assert.Equal("Healthy", checks["payments-db"]);

        var paymentId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = JsonContent.Create(new
            {
                paymentId, merchantId = "merchant-broker-down", customerId = "customer-broker-down", amount = 25.00m, currency = "EUR", cardToken = "tok_visa",
            }),
        };
        request.Headers.Add("Idempotency-Key", $"auth-{paymentId:N}");
        var accepted = await _http.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        _port.Open();

        await Eventually.Matches(_ => State(paymentId), s => s == "Authorised", $"payment {paymentId} to be Authorised once the broker is reachable",
            Timeout, cancellationToken: Cancellation);
        await Eventually.Matches(_ => Ready(), r => r.Status == "Healthy", "readiness to be Healthy with the broker connected", Timeout,
            r => $"{(int)r.Code} {r.Status}", Cancellation);
    }

    private async Task<(HttpStatusCode Code, string Status, Dictionary<string, string> Checks)> Ready()
    {
        var response = await _http.GetAsync("/health/ready", Cancellation);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement;
        var checks = root.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!);
        return (response.StatusCode, root.GetProperty("status").GetString()!, checks);
    }

    private async Task<string?> State(Guid paymentId)
    {
        var response = await _http.GetAsync($"/payments/{paymentId}", Cancellation);
        if (response.StatusCode != HttpStatusCode.OK)
            return null;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.GetProperty("state").GetString();
    }
}
