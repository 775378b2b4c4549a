namespace Payments.Workflows.Components.RabbitMq;

/// <summary>Queue and consumer settings on RabbitMQ, bound from "Payments:RabbitMq" (environment: Payments__RabbitMq__*).</summary>
internal sealed class RabbitMqOptions
{
    public const string SectionName = "Payments:RabbitMq";

    /// <summary>
    /// Declare every service queue as a quorum queue (replicated, with a delivery limit). Turn off only for a broker
    /// that has none; a queue's type cannot change once declared, so switching needs the queues deleted first.
    /// </summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>
    /// Times the broker hands one message out before it dead-letters it to the queue's <c>_error</c> queue
    /// (quorum queues only). Counts only deliveries that ended without an acknowledgement, such as a crashed
    /// instance; a message that fails in a consumer goes to <c>_error</c> at once after its retries.
    /// </summary>
    public int DeliveryLimit { get; set; } = 20;

    /// <summary>Unacknowledged messages the broker sends ahead to each endpoint's consumer.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>
    /// Messages each endpoint works on at once (the acquirer endpoint has its own limit,
    /// Payments:Acquirer:ConcurrentMessageLimit).
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>
    /// Messages the payment saga's endpoint works on at once. Higher than the other endpoints': its messages run in
    /// batches, many payments per transaction, and a batch can only hold what the endpoint has taken in (see
    /// Messaging's README, "Batched saga execution"). A payment's own messages still run one at a time, in order.
    /// </summary>
    public int SagaConcurrentMessageLimit { get; set; } = 64;

    /// <summary>Unacknowledged messages the broker sends ahead to the payment saga's endpoint.</summary>
    public int SagaPrefetchCount { get; set; } = 128;

    /// <summary>
    /// A PEM file with the private certificate authority that signs the broker's certificate (amqps:// only): the
    /// certificate must then chain to it. Unset: the system's trusted roots.
    /// </summary>
    public string? CaCertificatePath { get; set; }
}
