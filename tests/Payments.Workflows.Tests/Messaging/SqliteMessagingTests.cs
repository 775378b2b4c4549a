using Payments.Workflows.Testing.Messaging.Scenarios;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Tests.Messaging;

// The fast tier runs every messaging scenario on a throwaway SQLite file.

public sealed class SqliteInboxOutboxTests : InboxOutboxScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}

public sealed class SqliteDeliveryTests : DeliveryScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}

public sealed class SqliteSchedulerAndSagaTests : SchedulerAndSagaScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}

public sealed class SqliteCleanupTests : CleanupScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}

public sealed class SqliteInMemoryTransportTests : InMemoryTransportScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}

public sealed class SqliteSagaBatchTests : SagaBatchScenarios
{
    protected override ITestDatabase NewDatabase() => new SqliteTestDatabase();
}
