using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Authorisation;

/// <summary>What the idempotency log keeps of a command: its name, key and amount.</summary>
public sealed record RecordedCommand(string Name, string IdempotencyKey, decimal? Amount)
{
    public static RecordedCommand Of(AuthorisePayment command) => new(PaymentCommands.Authorise, command.IdempotencyKey, command.Amount);

    public static RecordedCommand Of(CapturePayment command) => new(PaymentCommands.Capture, command.IdempotencyKey, command.Amount);

    public static RecordedCommand Of(VoidPayment command) => new(PaymentCommands.Void, command.IdempotencyKey, null);

    public static RecordedCommand Of(RefundPayment command) => new(PaymentCommands.Refund, command.IdempotencyKey, command.Amount);
}
