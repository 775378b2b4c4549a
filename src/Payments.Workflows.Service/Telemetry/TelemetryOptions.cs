namespace Payments.Workflows.Service.Telemetry;

/// <summary>
/// Traces, metrics and logs (Payments:Telemetry; environment Payments__Telemetry__*). Where telemetry goes is the
/// OpenTelemetry SDK's own setting: OTLP export is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, off otherwise.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Payments:Telemetry";

    /// <summary>
    /// Serve <c>/metrics</c> to callers without a key (a Prometheus on a private network). Off by default in every
    /// environment: the scrape then needs an ops key as a bearer token.
    /// </summary>
    public bool AnonymousMetrics { get; set; }

    /// <summary>Console logs as one JSON object per line, with scopes and the trace and span ids of the current activity.</summary>
    public bool JsonLogs { get; set; }
}
