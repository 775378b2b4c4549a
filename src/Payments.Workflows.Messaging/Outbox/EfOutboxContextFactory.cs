using System.Data;
using MassTransit.Middleware;
using Payments.Workflows.Messaging.Batching;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// The inbox/outbox of one consumed message on core's <see cref="OutboxMessagePipe{TMessage}"/>: one transaction for
/// the effect, outgoing rows and inbox mark, sends after commit, the delivered mark to
/// <see cref="DeliveredMarkWriter{TDbContext}"/>. Why and how: README.md, "Consuming a message".
/// </summary>
/// <remarks>Resolved from the message's scope, so every retry attempt gets a fresh DbContext.</remarks>
public sealed partial class EfOutboxContextFactory<TDbContext>(
    TDbContext dbContext,
    IServiceProvider provider,
    IOptions<InboxOutboxOptions> options,
    TimeProvider timeProvider) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private readonly IOutboxFaultInjector? _faults = provider.GetService<IOutboxFaultInjector>();

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var batch = InboxBatch.Messages(context);

        if (dbContext.Database.CreateExecutionStrategy().RetriesOnFailure)
        {
            throw new InvalidOperationException(
                $"{typeof(TDbContext).Name} uses a retrying execution strategy (EnableRetryOnFailure). The inbox/outbox owns its " +
                "transactions and would re-run consumers on a dirty DbContext; remove it and retry with UseMessageRetry instead.");
        }

        // Savepoints around each SaveChanges only add round trips: on failure the whole transaction rolls back.
        dbContext.Database.AutoSavepointsEnabled = false;

        // A partitioned saga message joins a batch; a retry runs on its own, so a failing message fails alone.
        if (batch is null && context.TryGetPayload(out BatchSlot? slot) && context.TryGetPayload(out IServiceScope? scope) &&
            context.GetRetryAttempt() == 0)
        {
            var batched = await InBatch(context, consumeOptions, next, slot, scope).ConfigureAwait(false);
            if (batched is not null)
            {
                await AfterCommit(batched, false, next).ConfigureAwait(false);
                return;
            }
        }

        var outboxContext = await Alone(context, consumeOptions, next, batch).ConfigureAwait(false);
        await AfterCommit(outboxContext, batch is not null, next).ConfigureAwait(false);
    }

    /// <summary>The message's own transaction: the effect, its outgoing rows and its inbox mark, committed together.</summary>
    private async Task<EfOutboxConsumeContext<T>> Alone<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions,
        IPipe<OutboxConsumeContext<T>> next, IReadOnlyList<ConsumeContext>? batch)
        where T : class
    {
        var messageIds = batch is null
            ? [MessageIdOf(context, typeof(T))]
            : batch.Select(m => MessageIdOf(m, typeof(T))).Distinct().Order().ToArray();

        // ReadCommitted suffices: the upsert's row lock, not the isolation level, keeps two copies apart, and the
        // waiting copy then reads the winner's committed marks.
        var transaction = await dbContext.Database
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                var (rows, fresh) = await UpsertInbox(messageIds, consumeOptions.ConsumerId, context.CancellationToken).ConfigureAwait(false);

                // A batch goes to the consumer with only the messages the inbox has not seen, the first copy of each.
                var consumeContext = context;
                if (batch is not null && fresh.Count > 0 && fresh.Count < batch.Count)
                {
                    var keep = new HashSet<Guid>(fresh);
                    consumeContext = InboxBatch.Keep(context, batch.Where(m => keep.Remove(MessageIdOf(m, typeof(T)))).ToList());
                }

                var outboxContext = NewOutboxContext(consumeContext, consumeOptions, dbContext, rows, fresh, batched: false);

                await next.Send(outboxContext).ConfigureAwait(false);

                await dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return outboxContext;
            }
            catch
            {
                // The transaction rolls back on dispose; nothing tracked may leak into a later use of this context.
                dbContext.ChangeTracker.Clear();
                throw;
            }
        }
    }

    /// <summary>After the commit: the sends, the delivered mark and the acknowledgement, in the message's own scope.</summary>
    private async Task AfterCommit<T>(EfOutboxConsumeContext<T> outboxContext, bool allAtOnce, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        try
        {
            if (outboxContext.ConsumedHere)
            {
                _faults?.At(OutboxFaultPoint.AfterEffectCommitted, outboxContext.OwnerMessageId);
                if (allAtOnce && !outboxContext.IsOutboxDelivered)
                    await outboxContext.DeliverAllAtOnce().ConfigureAwait(false);
            }

            while (outboxContext.ContinueProcessing)
                await next.Send(outboxContext).ConfigureAwait(false);
        }
        catch
        {
            // Committed but not all sent: the rows are left to a redelivered copy or the delivery service.
            outboxContext.ReleaseUnsent();
            throw;
        }

        if (outboxContext.DeliveredHere)
            _faults?.At(OutboxFaultPoint.AfterDeliveredMarked, outboxContext.OwnerMessageId);
    }

    private EfOutboxConsumeContext<T> NewOutboxContext<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions, DbContext db,
        IReadOnlyList<InboxState> rows, IReadOnlySet<Guid> fresh, bool batched, IServiceProvider? scopeProvider = null)
        where T : class =>
        new(context, consumeOptions, scopeProvider ?? provider, db, rows, fresh, options.Value, _faults,
            provider.GetService<DeliveredMarkWriter<TDbContext>>(), provider.GetService<VolatileTransport>(), timeProvider, batched);

    /// <summary>
    /// Takes (or creates) the inbox rows of <paramref name="messageIds"/> under their write locks, in id order; also
    /// returns the ids the inbox had not seen: the rows this statement inserted (receive count 1), written consumed
    /// already. A row that existed had committed, so it was consumed.
    /// </summary>
    private async Task<(IReadOnlyList<InboxState> Rows, IReadOnlySet<Guid> Fresh)> UpsertInbox(Guid[] messageIds, Guid consumerId,
        CancellationToken cancellationToken)
    {
        var statements = InboxOutboxStatements.For(dbContext);
        var inbox = dbContext.Set<InboxState>();
        if (messageIds.Length > 1 && statements.UpsertInboxBatch is { } many)
        {
            var upserted = await inbox.FromSqlRaw(many, messageIds, consumerId, timeProvider.GetUtcNow().UtcDateTime, NewId.NextGuid())
                .AsTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            return (upserted, Inserted(upserted));
        }

        var rows = new List<InboxState>(messageIds.Length);
        foreach (var messageId in messageIds)
        {
            var row = await inbox.FromSqlRaw(statements.UpsertInbox, messageId, consumerId, timeProvider.GetUtcNow().UtcDateTime, NewId.NextGuid())
                .AsTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
            rows.Add(row.Single());
        }

        return (rows, Inserted(rows));
    }

    private static HashSet<Guid> Inserted(IEnumerable<InboxState> rows) =>
        rows.Where(r => r.ReceiveCount == 1).Select(r => r.MessageId).ToHashSet();

    private static Guid MessageIdOf(ConsumeContext context, Type messageType) =>
        context.GetOriginalMessageId() ?? throw new MessageException(messageType,
            "The inbox needs a MessageId to deduplicate, and this message has none. Publishers must set one " +
            "(for raw JSON over AMQP: the message_id property, as a GUID).");

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("efInboxOutbox");
        scope.Add("dbContext", typeof(TDbContext).Name);
    }
}
