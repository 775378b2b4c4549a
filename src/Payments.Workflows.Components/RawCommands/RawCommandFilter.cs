using MassTransit.Context;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// Sits on a raw endpoint's pipe before the consumer and its inbox: rejects an incomplete command with a reason
/// that names the missing fields, and gives a message without a GUID <c>message_id</c> the id
/// <see cref="RawMessageIds"/> derives, which the inbox (keyed on <c>GetOriginalMessageId()</c>, falling back to
/// <see cref="MessageContext.MessageId"/>) and the forwarded command then use.
/// </summary>
internal sealed class RawCommandFilter<TRaw, TCommand> : IFilter<ConsumeContext<TRaw>>
    where TRaw : class, IRawCommand<TCommand>
    where TCommand : class
{
    public Task Send(ConsumeContext<TRaw> context, IPipe<ConsumeContext<TRaw>> next)
    {
        // Validates; a complete command has both a payment id and an idempotency key.
        _ = context.Message.ToCommand();
        if (context.MessageId.HasValue)
            return next.Send(context);

        var messageId = RawMessageIds.For(TRaw.RoutingKey, context.Message.PaymentId!.Value, context.Message.IdempotencyKey!);
        return next.Send(new DerivedMessageIdConsumeContext(context, messageId));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("rawCommand");

    private sealed class DerivedMessageIdConsumeContext(ConsumeContext<TRaw> context, Guid messageId) : ConsumeContextProxy<TRaw>(context)
    {
        public override Guid? MessageId => messageId;
    }
}
