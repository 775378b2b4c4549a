using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// The consume context a consumer or saga sees under the inbox/outbox. Core's proxy routes every publish, send,
/// respond and scheduled send into <see cref="AddSend{T}"/>; we store them as rows in the scoped DbContext. It also
/// carries <see cref="IDbTransactionContext"/>, so the saga repository joins the open transaction.
/// </summary>
internal sealed class EfOutboxConsumeContext<TMessage> : OutboxConsumeContextProxy<TMessage>, IDbTransactionContext
    where TMessage : class
{
    private readonly IReadOnlyList<InboxState> _inbox;
    private readonly bool _batched;
    private DbContext _db;
    private readonly Guid[] _messageIds;
    private readonly List<InboxState> _fresh;
    private readonly InboxOutboxOptions _settings;
    private readonly IOutboxFaultInjector? _faults;
    private readonly IDeliveredMarks? _marks;
    private readonly VolatileTransport? _transport;
    private readonly TimeProvider _timeProvider;
    private readonly List<OutboxMessage> _added = [];
    private readonly List<long> _sent = [];
    private readonly List<long> _kept = [];
    private List<OutboxMessage>? _immediate;
    private long? _lastSequenceNumber;
    private bool _deliveredMarkQueued;

    public EfOutboxConsumeContext(
        ConsumeContext<TMessage> context,
        OutboxConsumeOptions options,
        IServiceProvider provider,
        DbContext db,
        IReadOnlyList<InboxState> inbox,
        IReadOnlySet<Guid> fresh,
        InboxOutboxOptions settings,
        IOutboxFaultInjector? faults,
        IDeliveredMarks? marks,
        VolatileTransport? transport,
        TimeProvider timeProvider,
        bool batched = false)
        : base(context, options, provider)
    {
        _batched = batched;
        _marks = marks;
        _transport = transport;
        _timeProvider = timeProvider;
        _db = db;
        _inbox = inbox;
        _messageIds = inbox.Select(r => r.MessageId).ToArray();
        _fresh = inbox.Where(r => fresh.Contains(r.MessageId)).ToList();

        // Outgoing rows belong to the first message the consumer has not seen yet (a batch's are all sent together).
        OwnerMessageId = (_fresh.FirstOrDefault() ?? inbox[0]).MessageId;
        _settings = settings;
        _faults = faults;
    }

    public DbContext DbContext => _db;

    /// <summary>The message whose inbox row owns the outgoing rows: the only one, or the first new one of a batch.</summary>
    public Guid OwnerMessageId { get; }

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => ConsumedHere || _fresh.Count == 0;

    public override bool IsOutboxDelivered => _deliveredMarkQueued || _inbox.All(r => r.Delivered.HasValue);

    public override int ReceiveCount => _inbox.Max(r => r.ReceiveCount);

    public override long? LastSequenceNumber => _lastSequenceNumber;

    /// <summary>The consumer ran in this scope and its effect was saved (commit follows in the factory).</summary>
    public bool ConsumedHere { get; private set; }

    /// <summary>This scope wrote the delivered mark.</summary>
    public bool DeliveredHere { get; private set; }

    public override async Task SetConsumed()
    {
        // The upsert wrote the consumed mark of the rows it inserted (the fresh ones): nothing to add here but the
        // delivered mark of a consumer with nothing to send.
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        lock (_added)
            _immediate = _added.Where(x => x.ScheduledTime is null).ToList();

        // Nothing to send after commit: the delivered mark rides in the same transaction, so a consumer that
        // publishes nothing costs one transaction in all.
        if (_immediate.Count == 0)
        {
            foreach (var row in _inbox.Where(r => r.Delivered is null))
                row.Delivered = now;
            DeliveredHere = true;
        }

        // In a batch the leader saves every member's work at once, then claims the rows (their sequence numbers
        // come from that save).
        if (_batched)
        {
            ConsumedHere = true;
            return;
        }

        await _db.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        ConsumedHere = true;
        ClaimImmediate();
    }

    /// <summary>Tells the mark writer that this scope sends its rows itself (the delivery service leaves them alone).</summary>
    internal void ClaimImmediate() => _marks?.Claim((_immediate ?? []).Select(r => r.SequenceNumber));

    /// <summary>
    /// After a batch committed on the leader's DbContext: the rest of this message's work (sends, delivered mark)
    /// goes on in its own scope, on <paramref name="own"/>, while the leader's DbContext serves the next batch.
    /// </summary>
    internal void Rebind(DbContext own)
    {
        _db = own;
        own.AttachRange(_inbox);
    }

    /// <summary>
    /// Rows this scope claimed for sending and has not handed to the mark writer: the sender gave up on them, or
    /// their batch did not commit.
    /// </summary>
    public void ReleaseUnsent()
    {
        if (ConsumedHere && !_deliveredMarkQueued && _immediate is not null)
            _marks?.Release(_immediate.Select(r => r.SequenceNumber));
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        // After our own commit the rows are still in memory; only a redelivered copy reads them back.
        if (_immediate is null)
        {
            var now = _timeProvider.GetUtcNow().UtcDateTime;
            var consumerId = ConsumerId;
            var messageIds = _messageIds.Cast<Guid?>().ToArray();
            _immediate = await _db.Set<OutboxMessage>().AsNoTracking()
                .Where(x => messageIds.Contains(x.InboxMessageId) && x.InboxConsumerId == consumerId && x.QuarantinedAt == null &&
                    (x.ScheduledTime == null || x.ScheduledTime <= now))
                .OrderBy(x => x.SequenceNumber)
                .ToListAsync(CancellationToken).ConfigureAwait(false);

            // Rows the consumer that committed them is sending right now (in this process) are its to send.
            if (_marks is not null)
                _immediate.RemoveAll(r => _marks.IsClaimed(r.SequenceNumber));
        }

        foreach (var row in _immediate)
            row.Deserialize(SystemTextJsonMessageSerializer.Instance);

        return _immediate.Cast<OutboxMessageContext>().ToList();
    }

    /// <summary>
    /// Sends every row this scope stored, all at once, then writes the delivered mark; core's pipe then finds the
    /// outbox delivered. For batches: core sends row after row, each waiting for its publisher confirm, which would
    /// make a batch of a hundred events wait for a hundred round trips to the broker. A batch's events have no order
    /// among themselves (its messages did not either).
    /// </summary>
    public async Task DeliverAllAtOnce()
    {
        var rows = await LoadOutboxMessages().ConfigureAwait(false);
        await Task.WhenAll(rows.Select(row => OutboxRows.Send(CapturedContext, row, CancellationToken))).ConfigureAwait(false);

        foreach (var row in rows)
            Sent(row);
        await SetDelivered().ConfigureAwait(false);
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _lastSequenceNumber = message.SequenceNumber;
        Sent(message);
        return Task.CompletedTask;
    }

    private void Sent(OutboxMessageContext message)
    {
        _sent.Add(message.SequenceNumber);
        if (message is OutboxMessage row && _transport?.KeepsUntilConsumed(row) == true)
            _kept.Add(message.SequenceNumber);
    }

    public override async Task SetDelivered()
    {
        _faults?.At(OutboxFaultPoint.AfterOutgoingSent, OwnerMessageId);

        // Outside the consume transaction (the usual case: our own commit, then the sends), the mark joins other
        // consumers' marks in one background transaction. A redelivered copy that sent rows it read back is still
        // inside its one transaction and writes the mark there.
        if (_db.Database.CurrentTransaction is null && _marks is not null &&
            _marks.TryEnqueue(new DeliveredMark(_messageIds, ConsumerId, _sent.ToArray(), _kept.ToArray())))
        {
            _deliveredMarkQueued = true;
            DetachSentRows();
            DeliveredHere = true;
            return;
        }

        var delivered = _timeProvider.GetUtcNow().UtcDateTime;
        foreach (var row in _inbox.Where(r => r.Delivered is null))
            row.Delivered = delivered;

        var ownTransaction = _sent.Count > 0 && _db.Database.CurrentTransaction is null
            ? await _db.Database.BeginTransactionAsync(CancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            // The inbox row first, then its outbox rows: a redelivered copy takes the same locks in the same order
            // (its upsert locks the inbox row before it touches the rows), so the two cannot deadlock.
            await _db.SaveChangesAsync(CancellationToken).ConfigureAwait(false);

            // The sent rows go by key rather than through the change tracker: the delivery service or a redelivered
            // copy may have sent and deleted some of them meanwhile, and a tracked delete of a missing row would fail.
            if (_sent.Count > 0)
            {
                await SentRows.Settle(_db, _sent.ToArray(), _kept.ToArray(), delivered + _settings.ResendUnconsumedAfter, CancellationToken)
                    .ConfigureAwait(false);
            }

            if (ownTransaction is not null)
                await ownTransaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            if (ownTransaction is not null)
                await ownTransaction.DisposeAsync().ConfigureAwait(false);
        }

        if (_immediate is not null)
            _marks?.Release(_immediate.Select(r => r.SequenceNumber));
        DetachSentRows();
        DeliveredHere = true;
    }

    private void DetachSentRows()
    {
        foreach (var row in _immediate ?? [])
        {
            var entry = _db.Entry(row);
            if (entry.State != EntityState.Detached)
                entry.State = EntityState.Detached;
        }
    }

    public override Task RemoveOutboxMessages() =>
        // Sent rows were deleted with the delivered mark; scheduled rows stay until they are due.
        Task.CompletedTask;

    public override Task AddSend<T>(SendContext<T> context)
    {
        var row = OutboxRows.Create(context, _timeProvider.GetUtcNow().UtcDateTime, _settings.ConsumerHandOffDelay);
        row.InboxMessageId = OwnerMessageId;
        row.InboxConsumerId = ConsumerId;

        lock (_added)
        {
            _db.Set<OutboxMessage>().Add(row);
            _added.Add(row);
        }

        return Task.CompletedTask;
    }
}
