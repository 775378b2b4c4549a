using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// Writes many consumers' delivered marks (and deletes their sent rows) in one background transaction, so a consumer
/// acknowledges right after its sends. A lost mark only means a resend after <see cref="InboxOutboxOptions.ConsumerHandOffDelay"/>
/// under the same MessageIds. See README.md, "Delivered marks".
/// </summary>
internal sealed class DeliveredMarkWriter<TDbContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<InboxOutboxOptions> options,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    ILogger<DeliveredMarkWriter<TDbContext>> logger) : BackgroundService, IDeliveredMarks
    where TDbContext : DbContext
{
    private const int MaxMarksPerTransaction = 500;

    // A lone mark waits this long for company: fewer transactions at moderate load, for sent rows that stay a tenth
    // of a second longer (measured in README.md, "Delivered marks").
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly Channel<DeliveredMark> _marks = Channel.CreateUnbounded<DeliveredMark>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly InboxOutboxOptions _options = options.Value;
    private readonly ConcurrentDictionary<long, byte> _claimed = new();

    private readonly OutageTracker _outage = new("Delivered-mark writer", "delivered_marks", options.Value.DeliveryPollInterval,
        options.Value.UnhealthyMaxDelay, timeProvider, metrics, logger);

    public void Claim(IEnumerable<long> sequenceNumbers)
    {
        foreach (var number in sequenceNumbers)
            _claimed.TryAdd(number, 0);
    }

    public void Release(IEnumerable<long> sequenceNumbers)
    {
        foreach (var number in sequenceNumbers)
            _claimed.TryRemove(number, out _);
    }

    public bool IsClaimed(long sequenceNumber) => _claimed.ContainsKey(sequenceNumber);

    public bool TryEnqueue(DeliveredMark mark) => _options.DeliveredMarksInBackground && _marks.Writer.TryWrite(mark);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Consumers that finish from here on write their own marks; what is queued is written before we stop.
        _marks.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WriteUntilStopped(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // Whatever ended the loop, consumers from now on write their own marks instead of queueing them here.
            _marks.Writer.TryComplete();
        }
    }

    private async Task WriteUntilStopped(CancellationToken stoppingToken)
    {
        var batch = new List<DeliveredMark>(MaxMarksPerTransaction);
        // A batch that failed is tried again as it is (plus marks queued meanwhile) without waiting for a new mark.
        while (batch.Count > 0 || await _marks.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (batch.Count == 0 && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Linger, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: write what is queued now.
                }
            }

            while (batch.Count < MaxMarksPerTransaction && _marks.Reader.TryRead(out var mark))
                batch.Add(mark);

            try
            {
                await Write(batch, CancellationToken.None).ConfigureAwait(false);
                Release(batch.SelectMany(m => m.SentSequenceNumbers));
                batch.Clear();
                _outage.Succeeded();
            }
            catch (Exception exception)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // The delivery service will resend these rows; the inbox marks stay incomplete until then.
                    logger.LogWarning(exception, "Could not write {Count} delivered marks while stopping; the delivery service resends their rows",
                        batch.Count);
                    Release(batch.SelectMany(m => m.SentSequenceNumbers));
                    return;
                }

                // The batch is kept (and grows with the marks queued meanwhile, up to its limit) for the next attempt.
                var wait = _outage.Failed(exception);
                try
                {
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: one last attempt with what we hold.
                }
            }
        }
    }

    /// <summary>One transaction: the inbox marks, then the sent rows (the lock order a redelivered copy also takes).</summary>
    internal async Task Write(IReadOnlyCollection<DeliveredMark> marks, CancellationToken cancellationToken)
    {
        if (marks.Count == 0)
            return;

        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var now = timeProvider.GetUtcNow().UtcDateTime;
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var consumer in marks.GroupBy(m => m.ConsumerId))
                {
                    var consumerId = consumer.Key;
                    var messageIds = consumer.SelectMany(m => m.MessageIds).Order().ToArray();
                    await db.Set<InboxState>()
                        .Where(x => x.ConsumerId == consumerId && messageIds.Contains(x.MessageId) && x.Delivered == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Delivered, now), cancellationToken).ConfigureAwait(false);
                }

                await SentRows.Settle(db, marks.SelectMany(m => m.SentSequenceNumbers).ToArray(),
                    marks.SelectMany(m => m.KeptSequenceNumbers).ToArray(), now + _options.ResendUnconsumedAfter, cancellationToken).ConfigureAwait(false);

                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
