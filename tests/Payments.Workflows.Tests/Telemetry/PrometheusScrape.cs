using System.Globalization;
using System.Net.Http.Headers;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>Reads /metrics with an ops key and picks single values out of the Prometheus text format.</summary>
internal sealed class PrometheusScrape(HttpClient http, Func<Task<string>> opsKey)
{
    public async Task<string> Read()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await opsKey());
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of <paramref name="metric"/>'s one series, or null when the scrape does not have it.</summary>
    public static double? Value(string text, string metric)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
                continue;
            var afterLabels = line[metric.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[metric.Length..];
            return double.Parse(afterLabels.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return null;
    }
}
