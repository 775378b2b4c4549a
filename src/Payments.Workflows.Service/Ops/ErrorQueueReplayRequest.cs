namespace Payments.Workflows.Service.Ops;

/// <summary>POST /ops/error-queues/{queue}/replay: the messages to resend, by MessageId or by fault exception type (one of the two).</summary>
internal sealed record ErrorQueueReplayRequest(IReadOnlyList<string?>? MessageIds, string? ExceptionType);
