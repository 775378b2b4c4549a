using System.Text.Json;

namespace Payments.Workflows.Tests.Health;

/// <summary>A health endpoint's answer: HTTP status, overall status and each check's status.</summary>
public sealed record HealthReport(HttpStatusCode Code, string Status, IReadOnlyDictionary<string, string> Checks, string Body)
{
    public static async Task<HealthReport> Get(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        var checks = root.GetProperty("checks").EnumerateObject()
            .ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!);
        return new HealthReport(response.StatusCode, root.GetProperty("status").GetString()!, checks, body);
    }

    public override string ToString() => $"{(int)Code} {Body}";
}
