namespace Payments.Workflows.Service.Api;

/// <summary>Where a payment lives in the API: the routes that map it and the Location that points to it.</summary>
internal static class PaymentRoutes
{
    public const string Payments = "/payments";

    public const string Payment = "/payments/{id}";

    public static string Location(Guid paymentId) => $"{Payments}/{paymentId:D}";
}
