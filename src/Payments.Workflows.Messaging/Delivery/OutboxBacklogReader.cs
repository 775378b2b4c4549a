using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Delivery;

/// <inheritdoc cref="IOutboxBacklogReader"/>
internal sealed class OutboxBacklogReader<TDbContext>(IServiceScopeFactory scopeFactory, TimeProvider timeProvider) : IOutboxBacklogReader
    where TDbContext : DbContext
{
    public async Task<OutboxBacklog> Read(CancellationToken cancellationToken)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var now = timeProvider.GetUtcNow().UtcDateTime;

            // One pass over the outbox: conditional counts and a conditional MIN, grouped by a constant.
            var outbox = await db.Set<OutboxMessage>().AsNoTracking()
                .GroupBy(_ => 1)
                .Select(g => new
                {
                    Pending = g.LongCount(x => x.QuarantinedAt == null && x.DueAt <= now),
                    Scheduled = g.LongCount(x => x.QuarantinedAt == null && x.DueAt > now),
                    Quarantined = g.LongCount(x => x.QuarantinedAt != null),
                    OldestDue = g.Min(x => x.QuarantinedAt == null && x.DueAt <= now ? (DateTime?)x.DueAt : null),
                })
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var inboxMarks = await db.Set<InboxState>().LongCountAsync(cancellationToken).ConfigureAwait(false);

            if (outbox is null)
                return new OutboxBacklog(0, 0, 0, TimeSpan.Zero, inboxMarks);

            var oldest = outbox.OldestDue is { } due && due < now ? now - DateTime.SpecifyKind(due, DateTimeKind.Utc) : TimeSpan.Zero;
            return new OutboxBacklog(outbox.Pending, outbox.Scheduled, outbox.Quarantined, oldest, inboxMarks);
        }
    }
}
