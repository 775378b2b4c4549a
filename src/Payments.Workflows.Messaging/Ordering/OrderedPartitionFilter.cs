using Payments.Workflows.Messaging.Batching;

namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// Runs a message in its key's partition: it joins the partition's queue only when every earlier delivery has
/// joined its own, so each partition runs its messages one at a time in delivery order. Whatever comes after this
/// filter (message retry, the inbox/outbox, the saga) runs inside the partition.
/// </summary>
internal sealed class OrderedPartitionFilter<T>(OrderedPartitioner partitioner, Func<ConsumeContext<T>, Guid> keyOf) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var key = keyOf(context);
        var partition = partitioner.PartitionFor(key);
        Task entered;
        if (context.ReceiveContext.TryGetPayload<DeliveryTicket>(out var ticket))
        {
            await partitioner.WaitForTurnAsync(ticket, context.CancellationToken).ConfigureAwait(false);
            entered = partition.EnterAsync(context.CancellationToken);
            ticket.Pass();
        }
        else
        {
            entered = partition.EnterAsync(context.CancellationToken);
        }

        await entered.ConfigureAwait(false);
        if (partitioner.Batcher is { } batcher)
            context.GetOrAddPayload(() => new BatchSlot(key, batcher));
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        finally
        {
            partition.Exit();
        }
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("orderedPartition");
        scope.Add("partitionCount", partitioner.PartitionCount);
    }
}
