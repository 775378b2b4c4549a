using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// The answer to a raw command whose content <see cref="CommandValidation"/> refuses: a <see cref="PaymentCommandRejected"/>
/// with reason <see cref="RejectionReasons.InvalidCommand"/>, published instead of forwarding the command, so nothing the
/// database would refuse reaches the saga and nothing lands in an <c>_error</c> queue.
/// </summary>
internal static class RawCommandRejections
{
    public static PaymentCommandRejected Of(object command, IReadOnlyList<FieldProblem> problems)
    {
        var recorded = command switch
        {
            AuthorisePayment c => RecordedCommand.Of(c),
            CapturePayment c => RecordedCommand.Of(c),
            VoidPayment c => RecordedCommand.Of(c),
            RefundPayment c => RecordedCommand.Of(c),
            _ => throw new ArgumentException($"{command.GetType().Name} is not a payment command.", nameof(command)),
        };
        var paymentId = command switch
        {
            AuthorisePayment c => c.PaymentId,
            CapturePayment c => c.PaymentId,
            VoidPayment c => c.PaymentId,
            RefundPayment c => c.PaymentId,
            _ => Guid.Empty,
        };

        // A key that is itself the problem is repeated only as far as it is safe to print.
        var key = CommandValidation.ProblemWithKey(recorded.IdempotencyKey) is null ? recorded.IdempotencyKey : CommandValidation.Echo(recorded.IdempotencyKey);
        return new PaymentCommandRejected
        {
            PaymentId = paymentId,
            IdempotencyKey = key,
            Command = recorded.Name,
            ReasonCode = RejectionReasons.InvalidCommand,
            Reason = string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")),
        };
    }

    /// <summary>
    /// The answer to a raw command missing a required field or carrying one of another JSON type: the payment id and
    /// key as far as they were given (empty otherwise), and every such field named.
    /// </summary>
    public static PaymentCommandRejected Incomplete<TCommand>(string command, IRawCommand<TCommand> raw, InvalidRawCommandException incomplete)
        where TCommand : class
    {
        var key = raw.IdempotencyKey ?? "";
        return new PaymentCommandRejected
        {
            PaymentId = raw.PaymentId ?? Guid.Empty,
            IdempotencyKey = CommandValidation.ProblemWithKey(key) is null ? key : CommandValidation.Echo(key),
            Command = command,
            ReasonCode = RejectionReasons.InvalidCommand,
            Reason = string.Join(" ", incomplete.Fields.Select(f => $"{f}: required, missing or of another JSON type.")),
        };
    }
}
