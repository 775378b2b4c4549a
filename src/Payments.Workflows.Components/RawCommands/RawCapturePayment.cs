using System.Text.Json.Serialization;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary><see cref="CapturePayment"/> as raw JSON, routing key capture-payment.</summary>
public sealed record RawCapturePayment : IRawCommand<CapturePayment>
{
    public static string CommandName => Authorisation.PaymentCommands.Capture;

    public static string RoutingKey => "capture-payment";

    [JsonConverter(typeof(LenientJsonConverter))]
    public Guid? PaymentId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? IdempotencyKey { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public decimal? Amount { get; init; }

    public CapturePayment ToCommand()
    {
        InvalidRawCommandException.ThrowIfMissing(RoutingKey,
            ("paymentId", PaymentId is { } id && id != Guid.Empty), ("idempotencyKey", IdempotencyKey is not null), ("amount", Amount is not null));
        return new CapturePayment { PaymentId = PaymentId!.Value, IdempotencyKey = IdempotencyKey!, Amount = Amount!.Value };
    }
}
