using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenTelemetry.Trace;

namespace Payments.Workflows.IntegrationTests.Telemetry;

/// <summary>
/// On RabbitMQ and PostgreSQL, one payment's authorisation is one trace: POST /payments, the outbox row it wrote and
/// its delivery, payment-state, acquirer-authorisation, payment-state again, and the PaymentAuthorised publish. Spans
/// come from OpenTelemetry's in-memory exporter.
/// </summary>
public sealed class TraceAcrossRabbitMqTests(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    private readonly RecordedActivities _recorded = new();
    private WebApplicationFactory<Program>? _service;

    public async ValueTask InitializeAsync()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var virtualHost = await rabbitMq.CreateVirtualHostAsync("trace", cancellation);
        var database = await postgres.CreateDatabaseAsync("trace", cancellation);
        var settings = TestSettings.For("PostgreSql", database).OnRabbitMq(virtualHost, quorumQueues: false).WarningsOnly()
            .With(new Dictionary<string, string?> { ["Payments:ApplyMigrations"] = "true" });
        _service = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_recorded)));
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
            await _service.DisposeAsync();
    }

    [Fact]
    public async Task One_TraceId_runs_from_POST_payments_through_both_queues_to_PaymentAuthorised()
    {
        var keys = new TestApiKeys(_service!.Services);
        using var http = _service.CreateDefaultClient(new ApiKeyHandler(keys));
        var traceId = ActivityTraceId.CreateRandom();
        var paymentId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                paymentId,
                merchantId = "merchant-trace",
                customerId = "customer-trace",
                amount = 42.00m,
                currency = "EUR",
                cardToken = "tok_visa",
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", $"trace-{Guid.NewGuid():N}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await Eventually.True(() => TraceSteps.Missing(_recorded.InTrace(traceId)).Count == 0,
            $"trace {traceId} to hold every step; missing {string.Join(", ", TraceSteps.Missing(_recorded.InTrace(traceId)))} of:"
            + Environment.NewLine + TraceSteps.Describe(_recorded.InTrace(traceId)));
        Assert.Contains(_recorded.InTrace(traceId), a => a.GetTagItem("messaging.system") is "rabbitmq");
    }

    [Fact]
    public async Task The_ops_queries_and_the_outbox_gauges_read_PostgreSQL()
    {
        using var http = _service!.CreateDefaultClient(new ApiKeyHandler(new TestApiKeys(_service.Services)));
        var cancellation = TestContext.Current.CancellationToken;

        // One row scheduled an hour ahead, then quarantined as the delivery service would after its last attempt.
        long sequenceNumber;
        await using (var scope = _service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Payments.Workflows.Components.Persistence.PaymentsDbContext>();
            var endpoint = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri("queue:trace-ops-sink"));
            await endpoint.Send(new VoidPayment { PaymentId = Guid.NewGuid(), IdempotencyKey = $"ops-{Guid.NewGuid():N}" },
                c => c.Delay = TimeSpan.FromHours(1), cancellation);
            await db.SaveChangesAsync(cancellation);
            sequenceNumber = await db.Set<OutboxMessage>().Where(r => r.DestinationAddress != null).OrderByDescending(r => r.SequenceNumber)
                .Select(r => r.SequenceNumber).FirstAsync(cancellation);
        }

        var reader = _service.Services.GetRequiredService<Payments.Workflows.Messaging.Delivery.IOutboxBacklogReader>();
        Assert.True((await reader.Read(cancellation)).Scheduled >= 1);
        await using (var scope = _service.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Payments.Workflows.Components.Persistence.PaymentsDbContext>().Set<OutboxMessage>()
                .Where(r => r.SequenceNumber == sequenceNumber)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.QuarantinedAt, DateTime.UtcNow).SetProperty(r => r.DeliveryAttempts, 10), cancellation);
        }

        Assert.True((await reader.Read(cancellation)).Quarantined >= 1);
        foreach (var path in new[] { "/ops/outbox", "/ops/payments/stuck?olderThan=PT1S" })
        {
            using var response = await http.GetAsync(path, cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}");
        }

        using var quarantined = await http.GetAsync("/ops/outbox/quarantined", cancellation);
        Assert.Contains($"\"sequenceNumber\":{sequenceNumber},", await quarantined.Content.ReadAsStringAsync(cancellation), StringComparison.Ordinal);
    }
}
