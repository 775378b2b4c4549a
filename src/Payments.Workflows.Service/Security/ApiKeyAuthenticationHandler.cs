using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Payments.Workflows.Service.Security;

/// <summary>
/// <c>Authorization: Bearer sk_…</c>: the key is hashed and looked up on every request, so a revoke takes effect at
/// once. No header: no identity (a protected route then answers 401). A header that is not a well-formed key, or a
/// key that is unknown or revoked: 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>. Never logs a key.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string BearerPrefix = "Bearer ";
    private const string ProblemType = "urn:payments-workflows:problem:unauthenticated";
    private const string ForbiddenType = "urn:payments-workflows:problem:forbidden";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Health answers without the database, whatever headers a probe sends.
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0 || Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            return AuthenticateResult.NoResult();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || !ApiKeySecrets.IsWellFormed(header[BearerPrefix.Length..].Trim()))
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer' and an API key.");

        var store = Context.RequestServices.GetRequiredService<ApiKeyStore>();
        var key = await store.Verify(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        if (key is null)
            return AuthenticateResult.Fail("The API key is unknown or revoked.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString("D")),
            new(ClaimTypes.Role, key.Role),
        };
        if (key.MerchantId is not null)
            claims.Add(new Claim(Caller.MerchantClaim, key.MerchantId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var sentKey = result.Failure is not null;
        Response.Headers.WWWAuthenticate = sentKey ? "Bearer error=\"invalid_token\"" : "Bearer";
        await TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            type: ProblemType,
            title: "An API key is required.",
            detail: sentKey
                ? "The API key is malformed, unknown or revoked."
                : "Send 'Authorization: Bearer <key>' with a key from 'api-keys create'.")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            type: ForbiddenType,
            title: "This key may not do that.",
            detail: "Merchant keys act on their own merchant's payments; ops keys read and operate, and create no payments.")
            .ExecuteAsync(Context);
}
