using System.Text.Json.Serialization;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary><see cref="VoidPayment"/> as raw JSON, routing key void-payment.</summary>
public sealed record RawVoidPayment : IRawCommand<VoidPayment>
{
    public static string CommandName => Authorisation.PaymentCommands.Void;

    public static string RoutingKey => "void-payment";

    [JsonConverter(typeof(LenientJsonConverter))]
    public Guid? PaymentId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? IdempotencyKey { get; init; }

    public VoidPayment ToCommand()
    {
        InvalidRawCommandException.ThrowIfMissing(RoutingKey,
            ("paymentId", PaymentId is { } id && id != Guid.Empty), ("idempotencyKey", IdempotencyKey is not null));
        return new VoidPayment { PaymentId = PaymentId!.Value, IdempotencyKey = IdempotencyKey! };
    }
}
