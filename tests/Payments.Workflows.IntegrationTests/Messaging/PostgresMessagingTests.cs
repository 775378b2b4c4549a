using Payments.Workflows.Testing.Messaging.Scenarios;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.IntegrationTests.Messaging;

// The same scenarios as the fast tier (tests/Shared/Messaging/Scenarios, linked into both tiers), on real PostgreSQL:
// FOR UPDATE SKIP LOCKED claims, ON CONFLICT upserts and real concurrent transactions.

public sealed class PostgresInboxOutboxTests : InboxOutboxScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}

public sealed class PostgresDeliveryTests : DeliveryScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}

public sealed class PostgresSchedulerAndSagaTests : SchedulerAndSagaScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}

public sealed class PostgresSagaBatchTests : SagaBatchScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}

public sealed class PostgresCleanupTests : CleanupScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}

// The same scenarios again on a real RabbitMQ broker (no delayed-exchange plugin) and PostgreSQL.

public sealed class RabbitMqInboxOutboxTests : InboxOutboxScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();

    protected override Task<ITestTransport?> NewTransport() => RabbitMqTestTransport.Create();
}

public sealed class RabbitMqDeliveryTests : DeliveryScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();

    protected override Task<ITestTransport?> NewTransport() => RabbitMqTestTransport.Create();
}

public sealed class RabbitMqSchedulerAndSagaTests : SchedulerAndSagaScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();

    protected override Task<ITestTransport?> NewTransport() => RabbitMqTestTransport.Create();
}

public sealed class RabbitMqSagaBatchTests : SagaBatchScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();

    protected override Task<ITestTransport?> NewTransport() => RabbitMqTestTransport.Create();
}

public sealed class PostgresInMemoryTransportTests : InMemoryTransportScenarios
{
    protected override ITestDatabase NewDatabase() => new PostgresTestDatabase();
}
