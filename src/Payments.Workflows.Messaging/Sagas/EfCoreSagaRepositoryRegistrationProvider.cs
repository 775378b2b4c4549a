using MassTransit.Configuration;

namespace Payments.Workflows.Messaging.Sagas;

/// <summary>
/// Makes every saga added after <c>SetSagaRepositoryProvider</c> use the EF Core repository, including under
/// MassTransit's test harness, which otherwise puts sagas in memory.
/// </summary>
public sealed class EfCoreSagaRepositoryRegistrationProvider<TDbContext> : ISagaRepositoryRegistrationProvider
    where TDbContext : DbContext
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        configurator.EfCoreRepository<TSaga, TDbContext>();
}
