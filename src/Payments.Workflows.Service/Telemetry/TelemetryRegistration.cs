using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Service.Telemetry;

/// <summary>
/// OpenTelemetry for the host: traces from ASP.NET Core, MassTransit, our outbox delivery, EF Core/Npgsql and
/// HttpClient; metrics from MassTransit, our meters, ASP.NET Core, HttpClient, Npgsql, Polly and the runtime; a
/// Prometheus scrape at <c>/metrics</c>; OTLP export when configured; JSON console logs on request.
/// </summary>
internal static class TelemetryRegistration
{
    public const string ServiceName = "payments-workflows";

    public const string MetricsPath = "/metrics";

    /// <summary>The endpoint variable the OpenTelemetry SDK reads; without it nothing leaves the process.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Components' own meter (PaymentMetrics, internal to that assembly): late approvals and the like.
    private const string PaymentsMeterName = "Payments.Workflows";

    // Polly.Extensions reports every pipeline registered through AddResiliencePipeline on this meter.
    private const string PollyMeterName = "Polly";

    // Npgsql traces its own commands (with more detail than EF Core can see), so EF Core's spans are kept for the
    // other providers only: one span per command, not two.
    private const string NpgsqlEfCoreProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public static WebApplicationBuilder AddPaymentsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();

        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            // The trace and span ids land in each line's scopes, so a log line can be found from its trace and back.
            builder.Logging.Configure(o => o.ActivityTrackingOptions =
                ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddSource(MessagingActivities.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsPlumbing(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation(o => o.Filter = (provider, _) => provider != NpgsqlEfCoreProvider)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(InstrumentationOptions.MeterName, MessagingMetrics.MeterName, PaymentsMeterName, PollyMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
            telemetry.UseOtlpExporter();

        return builder;
    }

    /// <summary>The Prometheus scrape: ops keys only, unless <see cref="TelemetryOptions.AnonymousMetrics"/> opens it.</summary>
    public static WebApplication MapPaymentsTelemetry(this WebApplication app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.AnonymousMetrics)
            scrape.AllowAnonymous();
        else
            scrape.RequireAuthorization(ApiKeyRoles.Ops);
        return app;
    }

    // Probes and scrapes every few seconds would bury the traces that matter.
    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);
}
