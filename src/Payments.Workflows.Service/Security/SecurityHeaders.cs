namespace Payments.Workflows.Service.Security;

/// <summary>
/// On every response: <c>Cache-Control: no-store</c> (payment and ledger data must not sit in a shared cache) and
/// <c>X-Content-Type-Options: nosniff</c>. Kestrel's <c>Server</c> header is switched off where Kestrel is configured.
/// </summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = "no-store";
                headers.XContentTypeOptions = "nosniff";
                headers.Remove("Server");
                return Task.CompletedTask;
            });
            return next(context);
        });
}
