using MassTransit.Configuration;
using MassTransit.Saga;

namespace Payments.Workflows.Messaging.Sagas;

public static class EfSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Stores <typeparamref name="TSaga"/> through the scoped <typeparamref name="TDbContext"/>: the same instance
    /// the consumers and the inbox/outbox of the message use, so they share one transaction.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> EfCoreRepository<TSaga, TDbContext>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
        where TDbContext : DbContext
    {
        configurator.Repository(r =>
        {
            r.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>, EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
            r.RegisterQuerySagaRepository<TSaga, EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
            r.RegisterLoadSagaRepository<TSaga, EfSagaRepositoryContextFactory<TDbContext, TSaga>>();
        });
        return configurator;
    }
}
