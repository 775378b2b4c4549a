using System.Data;
using MassTransit.Saga;

namespace Payments.Workflows.Messaging.Sagas;

/// <summary>
/// EF Core saga repository on MassTransit core's repository-context extension points.
/// </summary>
/// <remarks>
/// Pessimistic: an instance is read under the provider's row lock until commit, so a racing message for it waits and
/// then sees the winner's state instead of redoing its work and failing a version check. See README.md, "Saga repository".
/// </remarks>
public sealed class EfSagaRepositoryContextFactory<TDbContext, TSaga>(
    TDbContext dbContext,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory);
        if (context.TryGetPayload(out IDbTransactionContext? _))
        {
            await next.Send(repositoryContext).ConfigureAwait(false);
            return;
        }

        await InTransaction(() => next.Send(repositoryContext), context.CancellationToken).ConfigureAwait(false);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        async Task LoadAndSend()
        {
            // Ids first without locks, then each instance under its row lock, so a query never locks a range.
            var ids = await dbContext.Set<TSaga>().AsNoTracking()
                .Where(query.FilterExpression)
                .Select(x => x.CorrelationId)
                .ToListAsync(context.CancellationToken).ConfigureAwait(false);

            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory);
            var instances = new List<TSaga>(ids.Count);
            foreach (var id in ids)
            {
                var instance = await EfSagaRepositoryContext<TSaga, T>.LoadLocked(dbContext, id, context.CancellationToken).ConfigureAwait(false);
                if (instance is not null)
                    instances.Add(instance);
            }

            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
        }

        if (context.TryGetPayload(out IDbTransactionContext? _))
            await LoadAndSend().ConfigureAwait(false);
        else
            await InTransaction(LoadAndSend, context.CancellationToken).ConfigureAwait(false);
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfReadOnlySagaRepositoryContext<TSaga>(dbContext, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfReadOnlySagaRepositoryContext<TSaga>(dbContext, cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "entity-framework-core");
        context.Add("concurrency", "pessimistic");
        context.Add("dbContext", typeof(TDbContext).Name);
    }

    private async Task InTransaction(Func<Task> work, CancellationToken cancellationToken)
    {
        // ReadCommitted is enough: the row lock, not the isolation level, serialises writers of one instance.
        var transaction = await dbContext.Database
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The DbContext is scoped to this message; a retry gets a fresh one, so nothing tracked survives.
                dbContext.ChangeTracker.Clear();
                throw;
            }
        }
    }
}
