using MassTransit;
using Microsoft.Extensions.Logging;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.RabbitMq;
using Payments.Workflows.Contracts;
using Payments.Workflows.Messaging.Ordering;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>
/// Orders one payment's messages within an instance: each message the saga consumes is keyed by its PaymentId
/// into one of <see cref="PartitionCount"/> in-process partitions, and each partition handles one message at a
/// time, in the order the broker delivered them. Across instances the saga's row lock still serialises a payment.
/// </summary>
public static class PaymentPartitioning
{
    /// <summary>
    /// More partitions than any sensible endpoint concurrency limit, so partitioning orders a payment's messages
    /// without lowering throughput; the endpoint's ConcurrentMessageLimit still caps concurrency.
    /// </summary>
    public const int PartitionCount = 64;

    /// <summary>Every message type the saga consumes; a fast test checks this against the state machine's events.</summary>
    public static IReadOnlyList<Type> MessageTypes { get; } =
    [
        typeof(AuthorisePayment), typeof(CapturePayment), typeof(VoidPayment), typeof(RefundPayment),
        typeof(AcquirerAuthorisationCompleted), typeof(PaymentHoldExpired),
    ];

    /// <summary>
    /// Adds the partitioner to the endpoint's pipe, from an endpoint-configuration callback: message retry and the
    /// inbox/outbox are added later, when the saga's messages are configured, so they run inside the partition and
    /// a retried message keeps its place (a later message for the payment waits instead of overtaking it).
    /// MassTransit's own partitioner orders messages by when they reach it, which on a concurrent endpoint is not
    /// the order RabbitMQ delivered them in; ours admits them in delivery-tag order (<see cref="OrderedPartitioner"/>).
    /// </summary>
    public static void UsePaymentPartitioner(this IReceiveEndpointConfigurator endpoint, ILogger? logger = null)
    {
        var partitioner = endpoint.CreateOrderedPartitioner(PartitionCount, RabbitMqDeliverySequence.Of, logger);
        endpoint.UseOrderedPartitioner<AuthorisePayment>(partitioner, c => c.Message.PaymentId);
        endpoint.UseOrderedPartitioner<CapturePayment>(partitioner, c => c.Message.PaymentId);
        endpoint.UseOrderedPartitioner<VoidPayment>(partitioner, c => c.Message.PaymentId);
        endpoint.UseOrderedPartitioner<RefundPayment>(partitioner, c => c.Message.PaymentId);
        endpoint.UseOrderedPartitioner<AcquirerAuthorisationCompleted>(partitioner, c => c.Message.PaymentId);
        endpoint.UseOrderedPartitioner<PaymentHoldExpired>(partitioner, c => c.Message.PaymentId);
    }
}
