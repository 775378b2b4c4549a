using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Payments.Workflows.Messaging.Batching;
using Payments.Workflows.Messaging.Delivery;

namespace Payments.Workflows.Messaging.Ordering;

/// <summary>
/// Keys messages into in-process partitions that each handle one message at a time, strictly in the order the
/// transport delivered them. MassTransit's own partitioner orders messages by when they reach it; with a concurrent
/// receive endpoint that is not delivery order (see <see cref="OrderedPartitionerConfigurationExtensions"/>).
/// </summary>
public sealed class OrderedPartitioner
{
    /// <summary>How long a delivery waits for an earlier one that was never dispatched before going ahead without it.</summary>
    public static readonly TimeSpan DefaultMissingDeliveryTimeout = TimeSpan.FromSeconds(5);

    private readonly FifoLock[] _partitions;
    private readonly ConditionalWeakTable<object, DeliveryTurnstile> _streams = [];
    private readonly ILogger _logger;

    public OrderedPartitioner(int partitionCount, DeliverySequenceProvider sequenceOf, TimeSpan? missingDeliveryTimeout = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentNullException.ThrowIfNull(sequenceOf);
        _partitions = Enumerable.Range(0, partitionCount).Select(_ => new FifoLock()).ToArray();
        SequenceOf = sequenceOf;
        MissingDeliveryTimeout = missingDeliveryTimeout ?? DefaultMissingDeliveryTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    public int PartitionCount => _partitions.Length;

    /// <summary>
    /// When set, the inbox/outbox runs the partitioned messages in batches, many sagas per transaction; the partition
    /// key must then be the saga's correlation id. See <see cref="SagaBatcher"/>.
    /// </summary>
    public SagaBatcher? Batcher { get; init; }

    internal DeliverySequenceProvider SequenceOf { get; }

    internal TimeSpan MissingDeliveryTimeout { get; }

    /// <summary>The turnstile of a stream (a channel); it goes when the stream's object does.</summary>
    internal DeliveryTurnstile Stream(object stream) => _streams.GetValue(stream, _ => new DeliveryTurnstile());

    internal FifoLock PartitionFor(Guid key) => _partitions[(uint)key.GetHashCode() % (uint)_partitions.Length];

    /// <summary>Waits until every earlier delivery of the ticket's stream has joined its partition.</summary>
    internal async Task WaitForTurnAsync(DeliveryTicket ticket, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await ticket.Turnstile.WaitForTurnAsync(ticket.Number).WaitAsync(MissingDeliveryTimeout, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                var skipped = ticket.Turnstile.SkipMissingBefore(ticket.Number);
                if (skipped > 0)
                {
                    MessagingMetrics.DeliveriesSkipped((long)skipped);
                    _logger.LogWarning("Delivery {DeliveryNumber} of {Stream} waited {Timeout} for {Skipped} earlier deliveries that never arrived; going ahead without them",
                        ticket.Number, ticket.StreamName, MissingDeliveryTimeout, skipped);
                }
            }
        }
    }
}
