using MassTransit.Scheduling;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Messaging.Scheduling;

/// <summary>
/// Schedules a message by sending it, with a delay and a token, through an outbox send endpoint: the outbox
/// turns the delay into the row's due time, and the delivery service sends the row when due. Cancelling deletes
/// the row (or drops it before it is saved) in the caller's DbContext, so a cancel commits with the caller's work.
/// </summary>
internal sealed class EfScheduleMessageProvider(ISendEndpointProvider outboxSendEndpointProvider, Func<DbContext?> dbContext) :
    IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken)
        where T : class
    {
        var tokenId = ScheduleTokenIdCache<T>.GetTokenId(message);
        var schedulePipe = new ScheduleSendPipe<T>(pipe, scheduledTime) { ScheduledMessageId = tokenId };

        var endpoint = await outboxSendEndpointProvider.GetSendEndpoint(destinationAddress).ConfigureAwait(false);
        await endpoint.Send(message, schedulePipe, cancellationToken).ConfigureAwait(false);

        return new ScheduledMessageHandle<T>(tokenId, scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => Cancel(tokenId, cancellationToken);

    // Token ids are unique, so the destination adds nothing to the match.
    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) => Cancel(tokenId, cancellationToken);

    private async Task Cancel(Guid tokenId, CancellationToken cancellationToken)
    {
        var db = dbContext() ?? throw new InvalidOperationException(
            "Cancelling a scheduled message needs the EF inbox/outbox on this endpoint (or a DI scope with the DbContext).");

        // Scheduled and cancelled within one unit of work: the row was never saved, so just forget it.
        foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>().Where(x => x.Entity.TokenId == tokenId).ToList())
        {
            if (entry.State == EntityState.Added)
                entry.State = EntityState.Detached;
        }

        await db.Set<OutboxMessage>().Where(x => x.TokenId == tokenId)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
