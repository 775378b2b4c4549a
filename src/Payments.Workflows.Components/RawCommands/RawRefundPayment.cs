using System.Text.Json.Serialization;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary><see cref="RefundPayment"/> as raw JSON, routing key refund-payment.</summary>
public sealed record RawRefundPayment : IRawCommand<RefundPayment>
{
    public static string CommandName => Authorisation.PaymentCommands.Refund;

    public static string RoutingKey => "refund-payment";

    [JsonConverter(typeof(LenientJsonConverter))]
    public Guid? PaymentId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? IdempotencyKey { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public decimal? Amount { get; init; }

    public RefundPayment ToCommand()
    {
        InvalidRawCommandException.ThrowIfMissing(RoutingKey,
            ("paymentId", PaymentId is { } id && id != Guid.Empty), ("idempotencyKey", IdempotencyKey is not null), ("amount", Amount is not null));
        return new RefundPayment { PaymentId = PaymentId!.Value, IdempotencyKey = IdempotencyKey!, Amount = Amount!.Value };
    }
}
