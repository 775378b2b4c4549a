using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Payments.Workflows.Service.Security;

/// <summary>
/// A token bucket per API key (Payments:Api:RateLimit); a request without a valid key shares a bucket with its
/// remote address. Past the bucket: 429 with <c>Retry-After</c>. Health endpoints opt out.
/// </summary>
internal static class ApiRateLimiting
{
    private const string ProblemType = "urn:payments-workflows:problem:rate-limited";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => Bucket(context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimit)));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    type: ProblemType,
                    title: "Too many requests.",
                    detail: $"This key's request rate is limited; retry after {seconds} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions limits) => new()
    {
        TokenLimit = limits.Burst,
        TokensPerPeriod = limits.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string PartitionOf(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } keyId
            ? $"key:{keyId}"
            : $"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
