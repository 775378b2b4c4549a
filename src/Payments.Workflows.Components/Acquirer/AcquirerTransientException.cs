namespace Payments.Workflows.Components.Acquirer;

/// <summary>A fault worth retrying: the resilience pipeline retries it and counts it towards opening the circuit.</summary>
internal sealed class AcquirerTransientException(string message) : Exception(message);
