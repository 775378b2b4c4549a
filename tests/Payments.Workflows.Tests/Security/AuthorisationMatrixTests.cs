using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Security;

/// <summary>
/// Every route of the running app, read from its endpoint data source, against every kind of caller: no key, a
/// malformed one, a revoked one, another merchant's, the payment's own merchant's and an ops key. A route missing from
/// the table fails the test, so a new endpoint cannot be added without saying who may call it.
/// </summary>
public sealed class AuthorisationMatrixTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode Accepted = HttpStatusCode.Accepted;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;

    /// <summary>Route → what its own merchant, another merchant and ops get. The unauthenticated callers always get 401.</summary>
    private static readonly Dictionary<string, (HttpStatusCode Own, HttpStatusCode Other, HttpStatusCode Ops)> Protected = new()
    {
        ["POST /payments"] = (Accepted, Forbidden, Forbidden),
        ["GET /payments"] = (Ok, Ok, Ok),
        ["GET /payments/{id}"] = (Ok, NotFound, Ok),
        ["GET /payments/{id}/operations"] = (Ok, NotFound, Ok),
        ["POST /payments/{id}/captures"] = (Accepted, NotFound, Forbidden),
        ["POST /payments/{id}/void"] = (Accepted, NotFound, Forbidden),
        ["POST /payments/{id}/refunds"] = (Accepted, NotFound, Forbidden),
        ["GET /ledger/accounts/{accountId}"] = (Ok, NotFound, Ok),
        ["GET /openapi/{documentName}.json"] = (Ok, Ok, Ok),
        ["GET /metrics"] = (Forbidden, Forbidden, Ok),
        ["GET /ops/outbox"] = (Forbidden, Forbidden, Ok),
        ["GET /ops/outbox/quarantined"] = (Forbidden, Forbidden, Ok),
        ["POST /ops/outbox/{sequenceNumber}/release"] = (Forbidden, Forbidden, NotFound),
        ["DELETE /ops/outbox/{sequenceNumber}"] = (Forbidden, Forbidden, NotFound),
        ["GET /ops/payments/stuck"] = (Forbidden, Forbidden, Ok),

        // This app runs on the in-memory transport: no broker, so no error queues (409).
        ["GET /ops/error-queues"] = (Forbidden, Forbidden, Conflict),
        ["POST /ops/error-queues/{queue}/replay"] = (Forbidden, Forbidden, Conflict),
        ["POST /ops/error-queues/{queue}/delete"] = (Forbidden, Forbidden, Conflict),
    };

    /// <summary>
    /// Open to anyone, key or not: health (load balancers hold none) and the /ops page, which serves no data of its
    /// own (it asks the operator for an ops key and calls the ops API above with it), so a browser can load it.
    /// </summary>
    private static readonly HashSet<string> Anonymous = ["GET /health/live", "GET /health/ready", "GET /ops"];

    [Fact]
    public async Task Every_route_answers_each_kind_of_caller_as_the_table_says_and_no_route_is_missing_from_it()
    {
        var routes = Routes();
        Assert.Equal(Protected.Keys.Concat(Anonymous).Order(), routes.Order());

        var merchant = $"merchant-own-{Guid.NewGuid():N}";
        var payment = await fixture.Api.Authorised(merchant, $"customer-{Guid.NewGuid():N}");
        var keys = fixture.Factory.Keys;
        var callers = new Dictionary<string, string?>
        {
            ["no key"] = null,
            ["malformed"] = "not-a-key",
            ["revoked"] = await keys.Revoked(merchant),
            ["other merchant"] = await keys.Merchant($"merchant-other-{Guid.NewGuid():N}"),
            ["own merchant"] = await keys.Merchant(merchant),
            ["ops"] = await keys.Ops(),
        };

        using var http = fixture.Factory.CreateClient();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            foreach (var (caller, key) in callers)
            {
                var expected = Expected(route, caller);
                using var response = await http.SendAsync(Request(route, key, merchant, payment.PaymentId), TestContext.Current.CancellationToken);
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                if (response.StatusCode != expected)
                    failures.Add($"{route} as {caller}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
                if (expected == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme != "Bearer")
                    failures.Add($"{route} as {caller}: 401 without WWW-Authenticate: Bearer");
                if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{route} as {caller}: {(int)response.StatusCode} is not a problem response");
                if (response.Headers.CacheControl?.NoStore != true || !response.Headers.TryGetValues("X-Content-Type-Options", out var sniff)
                    || sniff.Single() != "nosniff" || response.Headers.Contains("Server"))
                {
                    failures.Add($"{route} as {caller}: headers {response.Headers}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static HttpStatusCode Expected(string route, string caller)
    {
        if (Anonymous.Contains(route))
            return Ok;
        var (own, other, ops) = Protected[route];
        return caller switch
        {
            "own merchant" => own,
            "other merchant" => other,
            "ops" => ops,
            _ => HttpStatusCode.Unauthorized,
        };
    }

    /// <summary>"METHOD /pattern" of every routed endpoint the app serves.</summary>
    private List<string> Routes() =>
        fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => $"{method} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Distinct()
            .ToList();

    private static HttpRequestMessage Request(string route, string? key, string merchant, Guid paymentId)
    {
        var (method, pattern) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var path = pattern
            .Replace("{id}", paymentId.ToString("D"), StringComparison.Ordinal)
            .Replace("{accountId}", $"merchant:{merchant}", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{queue}", "payment-state_error", StringComparison.Ordinal)
            .Replace("{sequenceNumber}", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        if (method == "POST")
        {
            request.Headers.Add("Idempotency-Key", $"matrix-{Guid.NewGuid():N}");
            var json = path == "/payments"
                ? PaymentsApiClient.AuthoriseBody(merchant, "customer-matrix")
                : path.EndsWith("/void", StringComparison.Ordinal) ? "{}" : """{"amount":1.00}""";
            if (json is not null)
                request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return request;
    }
}
