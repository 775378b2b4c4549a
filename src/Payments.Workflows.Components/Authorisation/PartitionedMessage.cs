using Payments.Workflows.Messaging.Ordering;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>A message type the saga consumes, and how to put it in its payment's partition.</summary>
internal sealed class PartitionedMessage
{
    private readonly Action<IReceiveEndpointConfigurator, OrderedPartitioner> _addTo;

    private PartitionedMessage(Type messageType, Action<IReceiveEndpointConfigurator, OrderedPartitioner> addTo)
    {
        MessageType = messageType;
        _addTo = addTo;
    }

    public Type MessageType { get; }

    public static PartitionedMessage By<T>(Func<T, Guid> paymentIdOf)
        where T : class =>
        new(typeof(T), (endpoint, partitioner) => endpoint.UseOrderedPartitioner<T>(partitioner, c => paymentIdOf(c.Message)));

    public void AddTo(IReceiveEndpointConfigurator endpoint, OrderedPartitioner partitioner) => _addTo(endpoint, partitioner);
}
