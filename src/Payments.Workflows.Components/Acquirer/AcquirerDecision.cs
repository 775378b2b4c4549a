namespace Payments.Workflows.Components.Acquirer;

/// <summary>The acquirer's answer to one authorisation.</summary>
internal sealed record AcquirerDecision(bool Approved, string? Reference, string? DeclineCode, string? DeclineReason)
{
    public static AcquirerDecision Approve(string reference) => new(true, reference, null, null);

    public static AcquirerDecision Decline(string code, string reason) => new(false, null, code, reason);
}
