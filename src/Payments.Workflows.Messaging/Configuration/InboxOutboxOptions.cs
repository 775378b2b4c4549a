namespace Payments.Workflows.Messaging.Configuration;

/// <summary>Settings of the EF inbox, outbox, delivery service, scheduler and cleanup. Validated at start-up.</summary>
public sealed class InboxOutboxOptions
{
    /// <summary>How long an inbox mark is kept; a copy arriving later than this is processed again.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The longest time after the first delivery that a copy of a message may still arrive: the sum of delayed
    /// redelivery intervals, broker requeues and the time an operator may take to replay from an error queue.
    /// <see cref="DuplicateDetectionWindow"/> must exceed it.
    /// </summary>
    public TimeSpan RedeliveryHorizon { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of each broker send made by a consumer right after its commit.</summary>
    public TimeSpan ConsumerSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the delivery service leaves a consumer's rows to the consumer, which sends them right after its
    /// commit. Only rows the consumer could not send (a crash, a broker outage) are older than this.
    /// </summary>
    public TimeSpan ConsumerHandOffDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool DeliveryServiceEnabled { get; set; } = true;

    /// <summary>
    /// Keep each sent row until an endpoint of this process has finished with its message, and send it again after a
    /// restart (see README.md, "The in-memory transport"). Unset: whenever the transport keeps messages in process
    /// memory only (the in-memory transport), never on a broker. False turns it off (a test of the broker's hot path).
    /// </summary>
    public bool? KeepSentUntilConsumed { get; set; }

    /// <summary>
    /// On a transport that keeps messages in process memory only (the in-memory transport): how long a sent row whose
    /// consumer has not finished with it waits before it is sent again. Rows are also sent again at start-up. Longer
    /// than a message may be held by retries through an outage; shorter than <see cref="DuplicateDetectionWindow"/>.
    /// </summary>
    public TimeSpan ResendUnconsumedAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Write a consumer's delivered mark (and delete its sent rows) in a background transaction shared with other
    /// consumers' marks, instead of a second transaction of its own before it acknowledges. A mark lost in a crash
    /// only means its rows are sent once more after <see cref="ConsumerHandOffDelay"/>, under the same MessageIds.
    /// </summary>
    public bool DeliveredMarksInBackground { get; set; } = true;

    /// <summary>How often the delivery service looks for due rows when nothing wakes it (also the scheduler's precision).</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per delivery transaction.</summary>
    public int DeliveryBatchSize { get; set; } = 100;

    /// <summary>Timeout of each broker send made by the delivery service.</summary>
    public TimeSpan DeliverySendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the rows a delivery pass claimed stay out of other passes' reach while it sends them. The claim is a
    /// short transaction of its own, so no transaction (and on SQLite no write lock) is held while the broker
    /// answers; rows of a pass that dies mid-way are due again after this, and the inbox drops copies already sent.
    /// A pass stops sending at half of it. Longer than <see cref="DeliverySendTimeout"/>.
    /// </summary>
    public TimeSpan DeliveryClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed attempts after which a row is quarantined (kept, skipped, reported).</summary>
    public int MaxDeliveryAttempts { get; set; } = 10;

    /// <summary>First wait after a failed attempt of one row; doubles per attempt up to <see cref="DeliveryRetryMaxDelay"/>.</summary>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DeliveryRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Cap of the back-off of the background services (delivery and scheduler, delivered marks, cleanup) while the
    /// database or the broker is away: they try again after the poll interval, doubling with jitter up to this, and
    /// catch up as soon as a try succeeds. The cleanup never waits longer than <see cref="CleanupInterval"/>.
    /// </summary>
    public TimeSpan UnhealthyMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool CleanupEnabled { get; set; } = true;

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted per cleanup statement; small batches keep locks and log growth short.</summary>
    public int CleanupBatchSize { get; set; } = 500;

    /// <summary>
    /// Age after which an inbox mark whose outgoing messages were never all delivered, or an outbox row that is
    /// still unsent, is reported as stuck.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Most messages of a partitioned saga endpoint that run in one transaction (batched saga execution, see
    /// <see cref="Batching.SagaBatcher"/>): those that arrive while a batch commits form the next one. 1 turns it off.
    /// </summary>
    public int SagaBatchLimit { get; set; } = 64;

    /// <summary>Batches of one saga endpoint that run at once, each in its own transaction.</summary>
    public int SagaBatchLanes { get; set; } = 2;

    /// <summary>The batcher for one saga endpoint under these settings; null when batching is off.</summary>
    public Batching.SagaBatcher? CreateSagaBatcher() => SagaBatchLimit > 1 ? new Batching.SagaBatcher(SagaBatchLimit, SagaBatchLanes) : null;
}
