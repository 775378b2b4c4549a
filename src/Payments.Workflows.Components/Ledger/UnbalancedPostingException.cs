namespace Payments.Workflows.Components.Ledger;

internal sealed class UnbalancedPostingException(string message) : InvalidOperationException(message);
