using System.Security.Cryptography;

namespace Payments.Workflows.Service.Ops;

/// <summary>
/// GET /ops: the operations page. It is the one anonymous page of the service because it holds no data: the operator
/// types an ops key (kept in sessionStorage only), and its inline script calls the ops API with that key as a Bearer
/// token, rendering every value with textContent. A fresh nonce per response is the only script or style the
/// Content-Security-Policy allows; the page may not be framed and may only talk to its own origin.
/// </summary>
internal static class OpsPage
{
    private const string NonceToken = "{{nonce}}";

    public static IEndpointRouteBuilder MapOpsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ops", Serve)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; "
            + $"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            + "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return Results.Text(OpsPageHtml.Text.Replace(NonceToken, nonce, StringComparison.Ordinal), "text/html; charset=utf-8");
    }
}
