namespace Payments.Workflows.IntegrationTests.Fixtures;

/// <summary>
/// Tests that take the whole shared broker down. xunit runs this collection on its own, after every parallel one,
/// so no other test class sees the broker go away. The assembly fixtures are injected as everywhere else.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerRestartCollection
{
    public const string Name = "Broker restarts (run alone)";
}
