using System.Data;
using MassTransit.Middleware;
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
public sealed class EfOutboxContextFactory<TDbContext>(
    TDbContext dbContext,
    IServiceProvider provider,
    IOptions<InboxOutboxOptions> options,
    TimeProvider timeProvider) : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var batch = InboxBatch.Messages(context);
        var messageIds = batch is null
            ? [MessageIdOf(context, typeof(T))]
            : batch.Select(m => MessageIdOf(m, typeof(T))).Distinct().Order().ToArray();

        if (dbContext.Database.CreateExecutionStrategy().RetriesOnFailure)
        {
            throw new InvalidOperationException(
                $"{typeof(TDbContext).Name} uses a retrying execution strategy (EnableRetryOnFailure). The inbox/outbox owns its " +
                "transactions and would re-run consumers on a dirty DbContext; remove it and retry with UseMessageRetry instead.");
        }

        // Savepoints around each SaveChanges only add round trips: on failure the whole transaction rolls back.
        dbContext.Database.AutoSavepointsEnabled = false;

        var faults = provider.GetService<IOutboxFaultInjector>();
        EfOutboxConsumeContext<T> outboxContext;

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

                outboxContext = new EfOutboxConsumeContext<T>(consumeContext, consumeOptions, provider, dbContext, rows, fresh, options.Value, faults,
                    provider.GetService<DeliveredMarkWriter<TDbContext>>(), provider.GetService<VolatileTransport>(), timeProvider);

                await next.Send(outboxContext).ConfigureAwait(false);

                await dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                // The transaction rolls back on dispose; nothing tracked may leak into a later use of this context.
                dbContext.ChangeTracker.Clear();
                throw;
            }
        }

        try
        {
            if (outboxContext.ConsumedHere)
            {
                faults?.At(OutboxFaultPoint.AfterEffectCommitted, outboxContext.OwnerMessageId);
                if (batch is not null && !outboxContext.IsOutboxDelivered)
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
            faults?.At(OutboxFaultPoint.AfterDeliveredMarked, outboxContext.OwnerMessageId);
    }

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
