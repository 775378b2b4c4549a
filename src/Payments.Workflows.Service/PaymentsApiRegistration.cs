using System.Text.Json.Serialization;
using Payments.Workflows.Service.Api;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Service.Health;
using Payments.Workflows.Service.Ops;
using Payments.Workflows.Service.Security;
using Payments.Workflows.Service.Telemetry;

namespace Payments.Workflows.Service;

public static class PaymentsApiRegistration
{
    /// <summary>Problem details, JSON settings, OpenAPI, health checks, API keys and rate limits for the HTTP API.</summary>
    public static IServiceCollection AddPaymentsApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            // Money is a JSON number both ways: "60.00" as a string is refused, not guessed at.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityScheme>());
        services.AddPaymentsSecurity();

        services.AddPaymentsHealthChecks();

        services.AddScoped<PaymentCommandSubmitter>();
        services.AddIdempotencyCleanup();
        services.AddErrorQueues();
        return services;
    }

    /// <summary>
    /// Response headers, error handling (every failure is a problem response), API keys, rate limits and every
    /// endpoint of the API. OpenAPI is not served in Production unless Payments:Api:OpenApi is set.
    /// </summary>
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePaymentsSecurity();

        if (!app.Environment.IsProduction() || app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.OpenApi)
            app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapPaymentEndpoints();
        app.MapPaymentCommandEndpoints();
        app.MapLedgerEndpoints();
        app.MapOpsEndpoints();
        app.MapOpsPage();
        app.MapPaymentsTelemetry();
        return app;
    }
}
