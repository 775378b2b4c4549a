using Payments.Workflows.Messaging.Batching;

namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// Partitioning that keeps delivery order on a concurrent receive endpoint, which MassTransit's <c>UsePartitioner</c>
/// does not: each delivery joins its partition only after every earlier one has. See README.md, "Ordered partitioner".
/// </summary>
public static class OrderedPartitionerConfigurationExtensions
{
    /// <summary>
    /// Adds the receive side of an ordered partitioner to the endpoint and returns it, for
    /// <see cref="UseOrderedPartitioner{T}"/> on each message type. Call from an endpoint-configuration callback, before
    /// the endpoint's consumers or sagas are configured, so message retry and the inbox/outbox run inside the partition.
    /// </summary>
    /// <param name="batcher">When given, the partitioned messages run in batches (see <see cref="SagaBatcher"/>);
    /// the key of each message type must then be its saga's correlation id.</param>
    public static OrderedPartitioner CreateOrderedPartitioner(this IReceiveEndpointConfigurator endpoint, int partitionCount,
        DeliverySequenceProvider sequenceOf, ILogger? logger = null, SagaBatcher? batcher = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var partitioner = new OrderedPartitioner(partitionCount, sequenceOf, logger: logger) { Batcher = batcher };
        endpoint.ConfigureReceive(receive => receive.UseFilter(new DeliveryOrderReceiveFilter(partitioner)));
        return partitioner;
    }

    /// <summary>Runs <typeparamref name="T"/> in the partition of its key.</summary>
    public static void UseOrderedPartitioner<T>(this IReceiveEndpointConfigurator endpoint, OrderedPartitioner partitioner, Func<ConsumeContext<T>, Guid> keyOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(partitioner);
        ArgumentNullException.ThrowIfNull(keyOf);
        endpoint.AddPipeSpecification(new OrderedPartitionSpecification<T>(partitioner, keyOf));
    }
}
