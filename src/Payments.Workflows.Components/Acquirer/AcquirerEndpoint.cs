namespace Payments.Workflows.Components.Acquirer;

public static class AcquirerEndpoint
{
    /// <summary>The queue the acquirer consumer reads; its own queue, so a slow acquirer backs up nothing else.</summary>
    public const string Name = "acquirer-authorisation";

    public static readonly Uri Address = new($"queue:{Name}");
}
