using System.Text.Json.Serialization;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Service.Api;

namespace Payments.Workflows.Service;

public static class PaymentsApiRegistration
{
    /// <summary>Problem details, JSON settings, OpenAPI and health checks for the HTTP API.</summary>
    public static IServiceCollection AddPaymentsApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            // Money is a JSON number both ways: "60.00" as a string is refused, not guessed at.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi();

        // MassTransit registers its bus check tagged "ready"; the database joins it.
        services.AddHealthChecks().AddDbContextCheck<PaymentsDbContext>("payments-db", tags: [HealthEndpoints.ReadyTag]);

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
