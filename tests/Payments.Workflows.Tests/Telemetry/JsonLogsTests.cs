using System.Diagnostics;
using System.Text.Json;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>Payments__Telemetry__JsonLogs=true: the real service process writes one JSON object per line, with trace ids.</summary>
public sealed class JsonLogsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("payments-json-logs-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task With_JsonLogs_every_console_line_is_JSON_and_a_request_s_lines_carry_its_trace_id()
    {
        await using var service = ServiceProcess.Start(_folder.FullName, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Payments"] = $"Data Source={Path.Combine(_folder.FullName, "payments.db")}",
            ["Payments__Telemetry__JsonLogs"] = "true",
            // The request's own lines ("Request starting …") are the ones a trace id is looked up by.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting"] = "Information",
        });
        var address = await Eventually.Matches(_ => Task.FromResult(ListeningAddress(service.Output)), a => a is not null,
            "the service to log the address it listens on", TimeSpan.FromSeconds(60), _ => service.Output);

        // The request goes out under an activity of the test's own: HttpClient propagates it as traceparent (a header
        // set by hand would be doubled when another host in this process has HttpClient instrumentation listening).
        ActivityTraceId traceId;
        using (var activity = new Activity("json-logs-test").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            traceId = activity.TraceId;
            using var http = new HttpClient { BaseAddress = address };
            using var response = await http.GetAsync("/health/live", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The console logger writes from a queue of its own: wait for the request's lines before stopping.
        await Eventually.Matches(_ => Task.FromResult(service.Output), o => o.Contains(traceId.ToString(), StringComparison.Ordinal),
            $"a log line with trace id {traceId}", TimeSpan.FromSeconds(30), o => o);
        await service.Stop();

        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(Parse).ToList();
        Assert.All(lines.Zip(entries), pair => Assert.True(pair.Second.HasValue, $"Not a JSON log line: {pair.First}"));
        Assert.True(entries.Any(e => e!.Value.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray()
                .Any(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString() == traceId.ToString())),
            $"No line has TraceId {traceId} in its scopes:{Environment.NewLine}{service.Output}");
    }

    private static Uri? ListeningAddress(string output)
    {
        const string Listening = "Now listening on: ";
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(line) is { } entry && entry.TryGetProperty("Message", out var message)
                && message.GetString() is { } text && text.StartsWith(Listening, StringComparison.Ordinal))
            {
                return new Uri(text[Listening.Length..].Trim());
            }
        }

        return null;
    }

    private static JsonElement? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
