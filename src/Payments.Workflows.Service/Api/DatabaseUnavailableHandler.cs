using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Every endpoint's answer when the database cannot take or serve a request: unreachable, locked, timing out, or
/// not migrated yet because it was away at start-up. 503 with <c>Retry-After</c>, so the client retries with the
/// same Idempotency-Key; nothing was committed, so the retry is the first time the command counts. Anything else
/// falls through to the default handler: a 500 problem without internals.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IDatabaseMigrationState migrator, IOptions<PaymentsOptions> options, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    private const string ProblemType = "urn:payments-workflows:problem:database-unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var fault = TransientFaults.Classify(exception);
        if (fault is null && migrator.IsDone)
            return false;

        // The kind of fault and the route's template, never the exception's text (it can carry connection details) nor
        // the path (it can carry a customer id: /ledger/accounts/customer:{id}).
        logger.LogWarning("{Method} {Route} answered 503: the database is unavailable ({Fault})",
            httpContext.Request.Method, (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", fault?.ToString() ?? "not migrated");

        var retryAfter = options.Value.Health.RetryAfter;
        httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: ProblemType,
            title: "The service cannot reach its database.",
            detail: "Nothing was recorded. Send the same request again, with the same Idempotency-Key, after the Retry-After interval.")
            .ExecuteAsync(httpContext);
        return true;
    }
}
