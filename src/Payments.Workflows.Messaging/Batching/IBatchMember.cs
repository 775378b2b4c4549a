using System.Diagnostics;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Batching;

/// <summary>One consumed message waiting for, leading or taking part in a batch of <see cref="SagaBatcher"/>.</summary>
internal interface IBatchMember
{
    Guid MessageId { get; }

    Guid ConsumerId { get; }

    /// <summary>The saga the message is for (its partition key).</summary>
    Guid Key { get; }

    /// <summary>The message's own trace, restored while the leader runs it.</summary>
    Activity? Activity { get; }

    Task<BatchOutcome> Outcome { get; }

    /// <summary>Makes this member the leader of <paramref name="batch"/> (it is the first of it).</summary>
    void Lead(IReadOnlyList<IBatchMember> batch);

    void Complete(BatchOutcome outcome);

    /// <summary>Runs the message's consumer inside the leader's transaction, its writes left unsaved.</summary>
    Task RunIn(BatchRun run, InboxState row);

    /// <summary>The batch's writes are saved: the rows this message sends after commit are claimed.</summary>
    void Saved();

    /// <summary>The batch did not commit: whatever this message held in it goes.</summary>
    void Discard();
}

internal enum BatchOutcomeKind
{
    /// <summary>Lead the batch given.</summary>
    Lead,

    /// <summary>The message's work committed with its batch; send its rows.</summary>
    Committed,

    /// <summary>The message itself failed in its batch: it takes the retry path on its own.</summary>
    Failed,

    /// <summary>The batch did not commit for another reason (or the message was seen before): run it on its own.</summary>
    Alone,
}

internal sealed record BatchOutcome(BatchOutcomeKind Kind, IReadOnlyList<IBatchMember>? Batch = null, Exception? Error = null)
{
    public static readonly BatchOutcome Committed = new(BatchOutcomeKind.Committed);

    public static readonly BatchOutcome Alone = new(BatchOutcomeKind.Alone);
}

/// <summary>What the leader lends its batch: its DbContext, its scope, and the batch's saga prefetch.</summary>
internal sealed record BatchRun(DbContext DbContext, IServiceScope Scope, SagaBatchScope Sagas);
