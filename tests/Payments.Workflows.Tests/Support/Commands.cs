namespace Payments.Workflows.Tests.Support;

public static class Commands
{
    public static AuthorisePayment Authorise(Guid? paymentId = null, decimal amount = 100.00m, string currency = "EUR",
        string cardToken = "tok_visa", string? key = null) => new()
    {
        PaymentId = paymentId ?? Guid.NewGuid(),
        IdempotencyKey = key ?? $"auth-{Guid.NewGuid():N}",
        MerchantId = "merchant-1",
        CustomerId = "customer-1",
        Amount = amount,
        Currency = currency,
        CardToken = cardToken,
    };

    public static CapturePayment Capture(Guid paymentId, decimal amount, string? key = null) =>
        new() { PaymentId = paymentId, Amount = amount, IdempotencyKey = key ?? $"cap-{Guid.NewGuid():N}" };

    public static VoidPayment Void(Guid paymentId, string? key = null) =>
        new() { PaymentId = paymentId, IdempotencyKey = key ?? $"void-{Guid.NewGuid():N}" };

    public static RefundPayment Refund(Guid paymentId, decimal amount, string? key = null) =>
        new() { PaymentId = paymentId, Amount = amount, IdempotencyKey = key ?? $"ref-{Guid.NewGuid():N}" };
}
