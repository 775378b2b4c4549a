namespace Payments.Workflows.Components.Authorisation;

/// <summary>A reason a command cannot be applied: a code from <see cref="Contracts.RejectionReasons"/> and a sentence.</summary>
public sealed record Rejection(string Code, string Reason);
