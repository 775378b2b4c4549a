namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// A payment command as a publisher without our contracts assembly writes it: camelCase JSON with no MassTransit
/// envelope. Every field is optional here so that a missing one can be reported by name instead of as a
/// deserialisation failure.
/// </summary>
/// <typeparam name="TCommand">The contract the command becomes once it is complete.</typeparam>
public interface IRawCommand<out TCommand>
    where TCommand : class
{
    /// <summary>The routing key publishers use on <see cref="RawCommandTopology.Exchange"/>, e.g. authorise-payment.</summary>
    static abstract string RoutingKey { get; }

    Guid? PaymentId { get; }

    string? IdempotencyKey { get; }

    /// <summary>The contract message.</summary>
    /// <exception cref="InvalidRawCommandException">A required field is missing; the message names every one.</exception>
    TCommand ToCommand();
}
