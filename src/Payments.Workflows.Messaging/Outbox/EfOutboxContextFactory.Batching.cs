using System.Data;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using MassTransit.Context;
using MassTransit.Middleware;
using Payments.Workflows.Messaging.Batching;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// Batched saga execution (<see cref="SagaBatcher"/>): the messages of one batch share the leader's transaction,
/// one inbox upsert, one locking read of their sagas and one save; each then sends its own rows from its own scope.
/// A message that fails in a batch fails alone: the batch rolls back, the failing message takes the retry path
/// and the others run again, each in its own transaction. Why and how: README.md, "Batched saga execution".
/// </summary>
public sealed partial class EfOutboxContextFactory<TDbContext>
{
    /// <summary>
    /// Runs the message in a batch. Returns its outbox context once its batch committed; null when it must run on
    /// its own; throws what the message itself threw in its batch.
    /// </summary>
    private async Task<EfOutboxConsumeContext<T>?> InBatch<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions,
        IPipe<OutboxConsumeContext<T>> next, BatchSlot slot, IServiceScope scope)
        where T : class
    {
        var member = new Member<T>(this, context, consumeOptions, next, slot.Key, MessageIdOf(context, typeof(T)));
        var lead = slot.Batcher.Join(member);
        BatchOutcome outcome;
        if (lead is null)
        {
            outcome = await member.Outcome.ConfigureAwait(false);
            if (outcome.Kind == BatchOutcomeKind.Lead)
                outcome = await Lead(outcome.Batch!, slot.Batcher, scope, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            outcome = await Lead(lead, slot.Batcher, scope, context.CancellationToken).ConfigureAwait(false);
        }

        switch (outcome.Kind)
        {
            case BatchOutcomeKind.Committed:
                var outboxContext = member.OutboxContext!;
                outboxContext.Rebind(dbContext);
                return outboxContext;
            case BatchOutcomeKind.Failed:
                ExceptionDispatchInfo.Capture(outcome.Error!).Throw();
                return null;
            default:
                return null;
        }
    }

    /// <summary>Runs <paramref name="batch"/> (this message first), hands the lane on, and tells every member how it went.</summary>
    private async Task<BatchOutcome> Lead(IReadOnlyList<IBatchMember> batch, SagaBatcher batcher, IServiceScope scope, CancellationToken cancellationToken)
    {
        Dictionary<IBatchMember, BatchOutcome> outcomes;
        try
        {
            outcomes = await RunBatch(batch, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not any one message's fault (the database went away, the commit failed): each runs again on its own,
            // where an outage is waited out and a message's own failure is its own.
            outcomes = batch.ToDictionary(m => m, _ => BatchOutcome.Alone);
        }
        finally
        {
            batcher.Finished();
        }

        batcher.Ran(batch.Count, outcomes.Values.Count(o => o.Kind != BatchOutcomeKind.Committed));
        for (var i = 1; i < batch.Count; i++)
            batch[i].Complete(outcomes[batch[i]]);
        return outcomes[batch[0]];
    }

    private async Task<Dictionary<IBatchMember, BatchOutcome>> RunBatch(IReadOnlyList<IBatchMember> batch, IServiceScope scope,
        CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<IBatchMember, BatchOutcome>(batch.Count);
        var fresh = new List<(IBatchMember Member, InboxState Row)>(batch.Count);
        var transaction = await dbContext.Database
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                // One upsert for the batch (per consumer, which on a saga endpoint is one), in message id order.
                var rows = new Dictionary<(Guid, Guid), InboxState>();
                foreach (var consumer in batch.GroupBy(m => m.ConsumerId))
                {
                    var ids = consumer.Select(m => m.MessageId).Distinct().Order().ToArray();
                    var (upserted, _) = await UpsertInbox(ids, consumer.Key, cancellationToken).ConfigureAwait(false);
                    foreach (var row in upserted)
                        rows[(row.MessageId, row.ConsumerId)] = row;
                }

                // A message the inbox has seen runs on its own after the batch: it may have rows left to send.
                var seen = new HashSet<(Guid, Guid)>();
                foreach (var member in batch)
                {
                    var row = rows[(member.MessageId, member.ConsumerId)];
                    if (row.ReceiveCount == 1 && seen.Add((member.MessageId, member.ConsumerId)))
                        fresh.Add((member, row));
                    else
                        outcomes[member] = BatchOutcome.Alone;
                }

                var run = new BatchRun(dbContext, scope, new SagaBatchScope(fresh.Select(f => f.Member.Key).ToList()));
                var outer = Activity.Current;
                foreach (var (member, row) in fresh)
                {
                    Activity.Current = member.Activity;
                    try
                    {
                        await member.RunIn(run, row).ConfigureAwait(false);
                    }
                    catch (Exception exception)
                    {
                        dbContext.ChangeTracker.Clear();
                        foreach (var (other, _) in fresh)
                        {
                            other.Discard();
                            outcomes[other] = other == member ? new BatchOutcome(BatchOutcomeKind.Failed, Error: exception) : BatchOutcome.Alone;
                        }

                        return outcomes;
                    }
                    finally
                    {
                        Activity.Current = outer;
                    }
                }

                await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                foreach (var (member, _) in fresh)
                    member.Saved();
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                dbContext.ChangeTracker.Clear();
                foreach (var (member, _) in fresh)
                    member.Discard();
                throw;
            }
        }

        // The members carry on in their own scopes; this DbContext is the leader's own again.
        dbContext.ChangeTracker.Clear();
        foreach (var (member, _) in fresh)
            outcomes[member] = BatchOutcome.Committed;
        return outcomes;
    }

    private sealed class Member<T>(
        EfOutboxContextFactory<TDbContext> factory,
        ConsumeContext<T> context,
        OutboxConsumeOptions consumeOptions,
        IPipe<OutboxConsumeContext<T>> next,
        Guid key,
        Guid messageId) : IBatchMember
        where T : class
    {
        private readonly TaskCompletionSource<BatchOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Guid MessageId => messageId;

        public Guid ConsumerId => consumeOptions.ConsumerId;

        public Guid Key => key;

        public Activity? Activity { get; } = Activity.Current;

        public Task<BatchOutcome> Outcome => _outcome.Task;

        /// <summary>The message's outbox context in the batch that ran it last.</summary>
        public EfOutboxConsumeContext<T>? OutboxContext { get; private set; }

        public void Lead(IReadOnlyList<IBatchMember> batch) => _outcome.TrySetResult(new BatchOutcome(BatchOutcomeKind.Lead, batch));

        public void Complete(BatchOutcome outcome) => _outcome.TrySetResult(outcome);

        public async Task RunIn(BatchRun run, InboxState row)
        {
            // The leader's scope and DbContext stand in for this message's own: its saga, ledger and outgoing rows
            // land in the batch's transaction.
            var scoped = new ConsumeContextScope<T>(context, run.Scope, run.Scope.ServiceProvider, run.Sagas);
            OutboxContext = factory.NewOutboxContext(scoped, consumeOptions, run.DbContext, [row], new HashSet<Guid> { row.MessageId },
                batched: true, run.Scope.ServiceProvider);
            await next.Send(OutboxContext).ConfigureAwait(false);
            if (!OutboxContext.ConsumedHere)
                throw new InvalidOperationException($"Message {messageId} was not consumed in its batch.");
        }

        public void Saved() => OutboxContext?.ClaimImmediate();

        public void Discard()
        {
            OutboxContext?.ReleaseUnsent();
            OutboxContext = null;
        }
    }
}
