namespace Payments.Workflows.Tests.Telemetry;

/// <summary>
/// Tests that read /metrics run one class at a time, with no other host alive. Meters are process-wide by name: each
/// host's OpenTelemetry provider also listens to the same-named meters of every other host in the test process (their
/// counts add to its own), and a host that is disposed ends the metric streams it shared, so the scrape of a host
/// still running loses them. One service per process, as in production, has neither problem.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics scrapes, one host at a time";
}
