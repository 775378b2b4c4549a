using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// Forwards a raw command to the payment saga's queue as its contract message, under the raw message's id, so
/// the saga's inbox also sees one id however often the raw message arrives.
/// </summary>
internal sealed class RawCommandConsumer<TRaw, TCommand> : IConsumer<TRaw>
    where TRaw : class, IRawCommand<TCommand>
    where TCommand : class
{
    public async Task Consume(ConsumeContext<TRaw> context)
    {
        var command = context.Message.ToCommand();
        var endpoint = await context.GetSendEndpoint(PaymentStateDefinition.Address).ConfigureAwait(false);
        await endpoint.Send(command, send => send.MessageId = context.MessageId, context.CancellationToken).ConfigureAwait(false);
    }
}
