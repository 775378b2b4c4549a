namespace Payments.Workflows.Service.Ops;

/// <summary>The answer to a delete: how many messages were removed, and the MessageIds asked for that were not among the messages read.</summary>
internal sealed record ErrorQueueDeleted(string Queue, int Deleted, IReadOnlyList<string> NotFound);
