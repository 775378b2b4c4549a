using System.Diagnostics;
using OpenTelemetry.Trace;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>
/// One payment's authorisation is one trace: the HTTP request, the outbox row it wrote, the saga on payment-state, the
/// acquirer consumer, the saga again, and the PaymentAuthorised it publishes (in-memory transport, SQLite).
/// </summary>
public sealed class TraceContinuityTests
{
    [Fact]
    public async Task One_trace_runs_from_POST_payments_through_the_outbox_and_both_queues_to_PaymentAuthorised()
    {
        var recorded = new RecordedActivities();
        await using var host = new PaymentsApiFactory();
        var factory = host.WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(recorded))));
        var api = new PaymentsApiClient(factory.CreateDefaultClient(new ApiKeyHandler(new TestApiKeys(factory.Services))));

        var traceId = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/payments")
        {
            Content = new StringContent(PaymentsApiClient.AuthoriseBody($"merchant-{Guid.NewGuid():N}", "customer-trace"),
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", $"trace-{Guid.NewGuid():N}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var paymentId = await PaymentsApiClient.Accepted(response);
        await api.WaitForState(paymentId, "Authorised");

        await Eventually.True(() => TraceSteps.Missing(recorded.InTrace(traceId)).Count == 0,
            $"trace {traceId} to hold every step; missing {string.Join(", ", TraceSteps.Missing(recorded.InTrace(traceId)))} of:"
            + Environment.NewLine + TraceSteps.Describe(recorded.InTrace(traceId)));
    }
}
