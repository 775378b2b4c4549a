namespace Payments.Workflows.Service.Ops;

/// <summary>POST /ops/error-queues/{queue}/delete: the messages to remove, by MessageId.</summary>
internal sealed record ErrorQueueDeleteRequest(IReadOnlyList<string?>? MessageIds);
