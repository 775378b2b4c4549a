namespace Payments.Workflows.Service.Ops;

/// <summary>The messages of an error queue that failed with the same exception type and are of the same message type.</summary>
internal sealed record ErrorQueueGroup(string ExceptionType, string MessageType, int Count, ErrorMessageSample Sample);
