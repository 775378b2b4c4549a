using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.RabbitMq;
using Payments.Workflows.Contracts;
using Payments.Workflows.Messaging.Batching;
using Payments.Workflows.Messaging.Ordering;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// Orders one payment's messages within an instance: each message the saga consumes is keyed by its PaymentId
/// into one of <see cref="PartitionCount"/> in-process partitions, and each partition handles one message at a
/// time, in the order the broker delivered them. Across instances the saga's row lock still serialises a payment.
/// </summary>
internal static class PaymentPartitioning
{
    /// <summary>
    /// More partitions than any sensible endpoint concurrency limit, so partitioning orders a payment's messages
    /// without lowering throughput; the endpoint's ConcurrentMessageLimit still caps concurrency.
    /// </summary>
    public const int PartitionCount = 64;

    /// <summary>
    /// Every message type the saga consumes with its payment key. The partitioner is registered from this table
    /// alone, and a fast test compares its types with the state machine's events, so a message type the saga
    /// gains without a key here fails that test.
    /// </summary>
    public static IReadOnlyList<PartitionedMessage> Messages { get; } =
    [
        PartitionedMessage.By<AuthorisePayment>(m => m.PaymentId),
        PartitionedMessage.By<CapturePayment>(m => m.PaymentId),
        PartitionedMessage.By<VoidPayment>(m => m.PaymentId),
        PartitionedMessage.By<RefundPayment>(m => m.PaymentId),
        PartitionedMessage.By<AcquirerAuthorisationCompleted>(m => m.PaymentId),
        PartitionedMessage.By<PaymentHoldExpired>(m => m.PaymentId),
        PartitionedMessage.By<PaymentAuthorisationDeadlinePassed>(m => m.PaymentId),
    ];

    /// <summary>
    /// Adds the partitioner to the endpoint's pipe. MassTransit's own partitioner orders messages by when they
    /// reach it, which on a concurrent endpoint is not the order RabbitMQ delivered them in; ours admits them in
    /// delivery-tag order (<see cref="OrderedPartitioner"/>).
    /// </summary>
    /// <param name="batcher">Batched saga execution (many payments per transaction); null runs each message in its own.</param>
    public static void UsePaymentPartitioner(this IReceiveEndpointConfigurator endpoint, ILogger? logger = null, SagaBatcher? batcher = null)
    {
        // The key of every message is its PaymentId, the saga's correlation id, as batching requires.
        var partitioner = endpoint.CreateOrderedPartitioner(PartitionCount, RabbitMqDeliverySequence.Of, logger, batcher);
        foreach (var message in Messages)
            message.AddTo(endpoint, partitioner);
    }
}
