using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// Forwards a raw command to the payment saga's queue as its contract message, under the raw message's id, so
/// the saga's inbox also sees one id however often the raw message arrives. A command that
/// <see cref="CommandValidation"/> refuses is answered with <see cref="PaymentCommandRejected"/> (invalid-command)
/// instead, in the same outbox transaction, as is a command missing a required field or carrying one of another JSON
/// type (naming the fields); an authorisation's amount goes on with its currency's exponent.
/// </summary>
internal sealed class RawCommandConsumer<TRaw, TCommand> : IConsumer<TRaw>
    where TRaw : class, IRawCommand<TCommand>
    where TCommand : class
{
    public async Task Consume(ConsumeContext<TRaw> context)
    {
        TCommand command;
        try
        {
            command = context.Message.ToCommand();
        }
        catch (InvalidRawCommandException incomplete)
        {
            await context.PublishEvent(RawCommandRejections.Incomplete(TRaw.CommandName, context.Message, incomplete)).ConfigureAwait(false);
            return;
        }

        if (CommandValidation.Check(command) is { Count: > 0 } problems)
        {
            await context.PublishEvent(RawCommandRejections.Of(command, problems)).ConfigureAwait(false);
            return;
        }

        if (command is AuthorisePayment authorise)
            command = (TCommand)(object)CommandValidation.Normalised(authorise);
        var endpoint = await context.GetSendEndpoint(PaymentStateDefinition.Address).ConfigureAwait(false);
        await endpoint.Send(command, send => send.MessageId = context.MessageId, context.CancellationToken).ConfigureAwait(false);
    }
}
