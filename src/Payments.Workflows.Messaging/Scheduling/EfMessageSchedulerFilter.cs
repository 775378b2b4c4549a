using MassTransit.Context;
using MassTransit.Scheduling;

namespace Payments.Workflows.Messaging.Scheduling;

/// <summary>
/// Gives every consume context a scheduler backed by the outbox table. Core's outbox consume context then rebinds
/// it to itself, so a consumer's or saga's scheduled sends become rows in the consumer's transaction.
/// </summary>
internal sealed class EfMessageSchedulerFilter : IFilter<ConsumeContext>
{
    public static readonly EfMessageSchedulerFilter Instance = new();

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        // Replaces any transport-delay scheduler added earlier in the pipe: ours needs no broker plugin.
        context.AddOrUpdatePayload<MessageSchedulerContext>(
            () => new ConsumeMessageSchedulerContext(context, CreateScheduler),
            _ => new ConsumeMessageSchedulerContext(context, CreateScheduler));

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("efMessageScheduler");

    private static IMessageScheduler CreateScheduler(ConsumeContext context) =>
        new MessageScheduler(
            new EfScheduleMessageProvider(context, () => context.TryGetPayload(out IDbTransactionContext? db) ? db.DbContext : null),
            context.GetPayload<IBusTopology>());
}
