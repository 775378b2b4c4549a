using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Payments.Workflows.Tests.Api;

/// <summary>Health, the OpenAPI document, and start-up with bad settings.</summary>
public sealed class HostApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private readonly HttpClient _http = fixture.Api.Http;

    [Fact]
    public async Task Live_answers_while_the_process_runs()
    {
        var response = await _http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_checks_the_database_and_the_bus()
    {
        var response = await _http.GetAsync("/health/ready");
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("payments-db").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("masstransit-bus").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint()
    {
        var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/payments", "/payments/{id}", "/payments/{id}/captures", "/payments/{id}/void", "/payments/{id}/refunds",
                     "/ledger/accounts/{accountId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document has no {path}.");
        }
    }

    [Theory]
    [InlineData("Payments:Transport", "Kafka", "Payments__Transport")]
    [InlineData("Payments:Database", "Oracle", "Payments__Database")]
    [InlineData("Payments:HoldDuration", "-00:01:00", "Payments__HoldDuration")]
    public async Task Start_up_with_a_bad_setting_fails_naming_it(string key, string value, string named)
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var validation = Assert.IsType<OptionsValidationException>(Innermost<OptionsValidationException>(error));
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
        Assert.Contains(value, validation.Message, StringComparison.Ordinal);
    }

    private static Exception? Innermost<T>(Exception error)
        where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T)
                return e;
        }

        return error;
    }
}
