using Microsoft.Extensions.Logging;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// Logs hold payment ids, never card tokens or customer ids: a whole lifecycle over HTTP, its error paths included,
/// captured at Debug for every category (more than the service's own settings let through).
/// </summary>
public sealed class LogCaptureTests : IAsyncLifetime
{
    private const string Merchant = "merchant-log-capture";
    private const string CardToken = "tok_log_capture_4242";
    private const string Customer = "customer-log-capture-7781";
    private const string DeclinedCustomer = "customer-log-capture-declined-5519";
    private const string InvalidCustomer = "customer-log-capture-invalid-3307";

    private static readonly string[] Secrets = [CardToken, Customer, DeclinedCustomer, InvalidCustomer, "tok_decline"];

    private readonly LogCapture _logs = new(LogLevel.Trace);
    private readonly PaymentsApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
        ["Logging:LogLevel:MassTransit"] = "Debug",
        ["Logging:LogLevel:Polly"] = "Debug",
    });

    private PaymentsApiClient _api = null!;

    public ValueTask InitializeAsync()
    {
        var host = _factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(_logs)));
        _api = new PaymentsApiClient(host.CreateDefaultClient(new ApiKeyHandler(new TestApiKeys(host.Services))));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_whole_lifecycle_with_its_errors_logs_payment_ids_but_no_card_token_or_customer_id()
    {
        var body = PaymentsApiClient.AuthoriseBody(Merchant, Customer, 100.00m, cardToken: CardToken);
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(body, "log-capture-authorise"));
        await _api.WaitForState(paymentId, "Authorised");
        await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 60.00m, "log-capture-capture"));
        await _api.WaitForState(paymentId, "PartiallyCaptured");
        await PaymentsApiClient.Accepted(await _api.Refund(paymentId, 20.00m, "log-capture-refund"));
        await _api.WaitForState(paymentId, "PartiallyRefunded");

        // A command the saga rejects, an acquirer decline, a validation 400 and an idempotency conflict.
        await PaymentsApiClient.Accepted(await _api.Void(paymentId, "log-capture-void"));
        await _api.WaitFor(paymentId, p => p.Rejections.Any(r => r.IdempotencyKey == "log-capture-void"), "the void to be rejected");
        var declinedBody = PaymentsApiClient.AuthoriseBody(Merchant, DeclinedCustomer, 5.00m, cardToken: "tok_decline");
        var declinedId = await PaymentsApiClient.Accepted(await _api.Authorise(declinedBody, "log-capture-declined"));
        await _api.WaitForState(declinedId, "Declined");
        var invalid = await _api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, InvalidCustomer, 5.00m, currency: "EURO", cardToken: CardToken),
            "log-capture-invalid");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var conflict = await _api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, 7.00m, cardToken: CardToken), "log-capture-authorise");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var problems = await invalid.Content.ReadAsStringAsync() + await conflict.Content.ReadAsStringAsync();
        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, problems, StringComparison.Ordinal));
        var logs = _logs.Text;
        Assert.Contains(paymentId.ToString(), logs, StringComparison.Ordinal);
        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
    }
}
