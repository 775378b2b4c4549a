namespace Payments.Workflows.Components.Ledger;

public sealed class UnbalancedPostingException(string message) : InvalidOperationException(message);
