namespace Payments.Workflows.Components.Authorisation;

/// <summary>Command names as they appear in rejections and in the operation log.</summary>
public static class PaymentCommands
{
    public const string Authorise = "Authorise";
    public const string Capture = "Capture";
    public const string Void = "Void";
    public const string Refund = "Refund";
}
