namespace Payments.Workflows.IntegrationTests.Fixtures;

/// <summary>
/// Tests that assert how long something takes. xunit runs this collection on its own, after every parallel one, so
/// the figure measures the service and not the other test classes sharing the machine's cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timings (run alone)";
}
