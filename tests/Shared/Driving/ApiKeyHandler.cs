using System.Net.Http.Headers;
using System.Text.Json;

namespace Payments.Workflows.Testing.Driving;

/// <summary>
/// Gives each request to the HTTP API the key its real caller would hold, unless the test set one itself: an
/// authorisation goes with its body's merchant's key; a capture, void or refund with the key of the payment's
/// merchant; a read with the ops key, which reads everything (so a test reads what it always read). Health requests
/// go without a key, as a load balancer's do.
/// </summary>
public sealed class ApiKeyHandler(TestApiKeys keys) : DelegatingHandler
{
    /// <summary>The merchant of a request whose own merchant cannot be told (a malformed body, an unknown payment).</summary>
    public const string AnyMerchant = "merchant-of-tests";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (request.Headers.Authorization is null && !path.StartsWith("/health/", StringComparison.Ordinal))
        {
            var key = request.Method == HttpMethod.Post
                ? await keys.Merchant(await MerchantOf(request, path, cancellationToken) ?? AnyMerchant)
                : await keys.Ops();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string?> MerchantOf(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        var segments = path.Trim('/').Split('/');
        if (segments is ["payments"])
            return await BodyMerchant(request, cancellationToken);
        return segments is ["payments", var id, _] && Guid.TryParse(id, out var paymentId) ? await keys.OwnerOf(paymentId) : null;
    }

    private static async Task<string?> BodyMerchant(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
            return null;
        try
        {
            using var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("merchantId", out var merchant) && merchant.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(merchant.GetString()) && merchant.GetString()!.Length <= 64
                ? merchant.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
