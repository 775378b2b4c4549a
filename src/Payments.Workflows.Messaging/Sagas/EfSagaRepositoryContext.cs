using MassTransit.Context;
using MassTransit.Saga;
using Payments.Workflows.Messaging.Batching;

namespace Payments.Workflows.Messaging.Sagas;

internal sealed class EfSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly DbContext _dbContext;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;
    private readonly SagaBatchScope? _batch;

    public EfSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<DbContext, TSaga> factory)
        : base(consumeContext, dbContext)
    {
        _dbContext = dbContext;
        _consumeContext = consumeContext;
        _factory = factory;

        // In a batch: one locking read for all its sagas, and one save for all its writes (the batch's leader saves).
        consumeContext.TryGetPayload(out _batch);
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = _dbContext.Set<TSaga>().Add(instance);
        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Already there (a concurrent first message won): forget ours and let the caller load theirs.
            entry.State = EntityState.Detached;
            return null!;
        }

        return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = _batch is null
            ? await LoadLocked(_dbContext, correlationId, CancellationToken).ConfigureAwait(false)
            : await LoadInBatch(_batch, correlationId).ConfigureAwait(false);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        _dbContext.Set<TSaga>().Add(context.Saga);
        if (_batch is null)
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
    }

    public Task Update(SagaConsumeContext<TSaga> context) =>
        _batch is null ? _dbContext.SaveChangesAsync(CancellationToken) : Task.CompletedTask;

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        _dbContext.Set<TSaga>().Remove(context.Saga);
        if (_batch is null)
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        var entry = _dbContext.ChangeTracker.Entries<TSaga>().FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null)
            entry.State = EntityState.Unchanged;
        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_dbContext, context, instance, mode);

    private async Task<TSaga?> LoadInBatch(SagaBatchScope batch, Guid correlationId)
    {
        if (!batch.Attempted)
        {
            var sql = SagaLockStatements<TSaga>.ForMany(_dbContext);
            if (sql is null)
            {
                batch.Unsupported();
            }
            else
            {
                var keys = batch.Keys.ToArray();
                var instances = await _dbContext.Set<TSaga>().FromSqlRaw(sql, keys).AsTracking()
                    .ToListAsync(CancellationToken).ConfigureAwait(false);
                batch.Loaded(instances.Select(x => (x.CorrelationId, (object)x)));
            }
        }

        return batch.Covers(correlationId)
            ? batch.Find(correlationId) as TSaga
            : await LoadLocked(_dbContext, correlationId, CancellationToken).ConfigureAwait(false);
    }

    internal static async Task<TSaga?> LoadLocked(DbContext dbContext, Guid correlationId, CancellationToken cancellationToken)
    {
        var sql = SagaLockStatements<TSaga>.For(dbContext);
        var instance = await dbContext.Set<TSaga>()
            .FromSqlRaw(sql, correlationId)
            .AsTracking()
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        return instance;
    }
}
