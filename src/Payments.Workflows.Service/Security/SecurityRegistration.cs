using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Payments.Workflows.Service.Security;

/// <summary>API keys, the merchant and ops policies, per-key rate limits and response headers.</summary>
internal static class SecurityRegistration
{
    public static IServiceCollection AddPaymentsSecurity(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddScoped<ApiKeyStore>();
        services.AddHostedService<DevelopmentApiKeys>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Any endpoint that states no policy needs a valid key: a new endpoint is closed until someone opens it.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiKeyRoles.Merchant, p => p.RequireRole(ApiKeyRoles.Merchant))
            .AddPolicy(ApiKeyRoles.Ops, p => p.RequireRole(ApiKeyRoles.Ops));
        services.AddApiRateLimiting();

        services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        return services;
    }

    /// <summary>Headers first (they apply to every answer, errors included), then who is calling, how often, and whether it may.</summary>
    public static WebApplication UsePaymentsSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
