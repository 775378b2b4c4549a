using MassTransit.Context;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// Sits on a raw endpoint's pipe before the consumer and its inbox: gives a message without a GUID <c>message_id</c>
/// the id <see cref="RawMessageIds"/> derives, which the inbox (keyed on <c>GetOriginalMessageId()</c>, falling back
/// to <see cref="MessageContext.MessageId"/>) and the forwarded command or the rejection then use. An incomplete
/// command's id is derived from its bytes: it has no payment id and key to derive it from.
/// </summary>
internal sealed class RawCommandFilter<TRaw, TCommand> : IFilter<ConsumeContext<TRaw>>
    where TRaw : class, IRawCommand<TCommand>
    where TCommand : class
{
    public Task Send(ConsumeContext<TRaw> context, IPipe<ConsumeContext<TRaw>> next)
    {
        if (context.MessageId.HasValue)
            return next.Send(context);

        var message = context.Message;
        var messageId = message.PaymentId is { } paymentId && paymentId != Guid.Empty && message.IdempotencyKey is { } key
            ? RawMessageIds.For(TRaw.RoutingKey, paymentId, key)
            : RawMessageIds.ForBody(TRaw.RoutingKey, context.ReceiveContext.Body.GetBytes());
        return next.Send(new DerivedMessageIdConsumeContext(context, messageId));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("rawCommand");

    private sealed class DerivedMessageIdConsumeContext(ConsumeContext<TRaw> context, Guid messageId) : ConsumeContextProxy<TRaw>(context)
    {
        public override Guid? MessageId => messageId;
    }
}
