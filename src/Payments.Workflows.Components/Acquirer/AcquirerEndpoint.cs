namespace Payments.Workflows.Components.Acquirer;

internal static class AcquirerEndpoint
{
    /// <summary>The queue the acquirer consumer reads; its own queue, so a slow acquirer backs up nothing else.</summary>
    public const string Name = "acquirer-authorisation";

    /// <summary>The endpoint's exchange, not <c>queue:</c>; see <see cref="Authorisation.PaymentStateDefinition.Address"/>.</summary>
    public static readonly Uri Address = new($"exchange:{Name}");
}
