namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// A payment command as a publisher without our contracts assembly writes it: camelCase JSON with no MassTransit
/// envelope. Every field is optional here, and read as missing when its JSON type is another
/// (<see cref="LenientJsonConverter"/>), so that such a field is reported by name instead of as a deserialisation failure.
/// </summary>
/// <typeparam name="TCommand">The contract the command becomes once it is complete.</typeparam>
public interface IRawCommand<out TCommand>
    where TCommand : class
{
    /// <summary>The routing key publishers use on <see cref="RawCommandTopology.Exchange"/>, e.g. authorise-payment.</summary>
    static abstract string RoutingKey { get; }

    /// <summary>The command's name in <see cref="Authorisation.PaymentCommands"/>, e.g. Capture: what a rejection names.</summary>
    static abstract string CommandName { get; }

    Guid? PaymentId { get; }

    string? IdempotencyKey { get; }

    /// <summary>The contract message.</summary>
    /// <exception cref="InvalidRawCommandException">A required field is missing or mistyped; the message names every one.</exception>
    TCommand ToCommand();
}
