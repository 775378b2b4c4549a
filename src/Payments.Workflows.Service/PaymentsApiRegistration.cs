using System.Text.Json.Serialization;
using Payments.Workflows.Service.Api;
using Payments.Workflows.Service.Health;

namespace Payments.Workflows.Service;

public static class PaymentsApiRegistration
{
    /// <summary>Problem details, JSON settings, OpenAPI and health checks for the HTTP API.</summary>
    public static IServiceCollection AddPaymentsApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            // Money is a JSON number both ways: "60.00" as a string is refused, not guessed at.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi();

        services.AddPaymentsHealthChecks();

        services.AddScoped<PaymentCommandSubmitter>();
        return services;
    }

    /// <summary>Error handling (every failure is a problem response) and every endpoint of the API.</summary>
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapPaymentEndpoints();
        app.MapPaymentCommandEndpoints();
        app.MapLedgerEndpoints();
        return app;
    }
}
