using System.Text.Json.Serialization;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RawCommands;

/// <summary><see cref="AuthorisePayment"/> as raw JSON, routing key authorise-payment.</summary>
public sealed record RawAuthorisePayment : IRawCommand<AuthorisePayment>
{
    public static string CommandName => Authorisation.PaymentCommands.Authorise;

    public static string RoutingKey => "authorise-payment";

    [JsonConverter(typeof(LenientJsonConverter))]
    public Guid? PaymentId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? IdempotencyKey { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? MerchantId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? CustomerId { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public decimal? Amount { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? Currency { get; init; }

    [JsonConverter(typeof(LenientJsonConverter))]
    public string? CardToken { get; init; }

    public AuthorisePayment ToCommand()
    {
        InvalidRawCommandException.ThrowIfMissing(RoutingKey,
            ("paymentId", PaymentId is { } id && id != Guid.Empty), ("idempotencyKey", IdempotencyKey is not null),
            ("merchantId", MerchantId is not null), ("customerId", CustomerId is not null), ("amount", Amount is not null),
            ("currency", Currency is not null), ("cardToken", CardToken is not null));
        return new AuthorisePayment
        {
            PaymentId = PaymentId!.Value,
            IdempotencyKey = IdempotencyKey!,
            MerchantId = MerchantId!,
            CustomerId = CustomerId!,
            Amount = Amount!.Value,
            Currency = Currency!,
            CardToken = CardToken!,
        };
    }
}
