namespace Payments.Workflows.Service.Ops;

/// <summary>
/// GET /ops/error-queues, one queue: its depth (ready messages), how many of them were read (at most
/// <see cref="ErrorQueueClient.BrowseLimit"/>, from the head) and their groups, largest first.
/// </summary>
internal sealed record ErrorQueueView(string Queue, long Depth, int Browsed, bool Truncated, IReadOnlyList<ErrorQueueGroup> Groups);
