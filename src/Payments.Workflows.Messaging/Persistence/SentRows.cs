namespace Payments.Workflows.Messaging.Persistence;

/// <summary>What becomes of outbox rows once their messages were sent.</summary>
internal static class SentRows
{
    /// <summary>
    /// Deletes the <paramref name="sent"/> rows by key (another sender may have deleted some meanwhile), except the
    /// <paramref name="kept"/> ones, which become due again at <paramref name="resendAt"/> unless their consumer
    /// finishes first (see <see cref="Delivery.VolatileTransport"/>).
    /// </summary>
    public static async Task Settle(DbContext db, long[] sent, long[] kept, DateTime resendAt, CancellationToken cancellationToken)
    {
        var deleted = kept.Length == 0 ? sent : sent.Except(kept).ToArray();
        if (deleted.Length > 0)
        {
            await db.Set<OutboxMessage>().Where(x => deleted.Contains(x.SequenceNumber))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (kept.Length > 0)
        {
            await db.Set<OutboxMessage>().Where(x => kept.Contains(x.SequenceNumber))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueAt, resendAt), cancellationToken).ConfigureAwait(false);
        }
    }
}
