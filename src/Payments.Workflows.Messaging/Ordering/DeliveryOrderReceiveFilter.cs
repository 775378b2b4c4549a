namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// First on the receive pipe: records that a delivery arrived and hands it its ticket; once the delivery is done
/// with (consumed, faulted, dead-lettered or never partitioned) it lets the next one pass.
/// </summary>
internal sealed class DeliveryOrderReceiveFilter(OrderedPartitioner partitioner) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (partitioner.SequenceOf(context) is not { } sequence)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        var turnstile = partitioner.Stream(sequence.Stream);
        turnstile.Arrive(sequence.Number);
        var ticket = context.GetOrAddPayload(() => new DeliveryTicket(turnstile, sequence.StreamName, sequence.Number));
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        finally
        {
            ticket.Pass();
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deliveryOrder");
}
