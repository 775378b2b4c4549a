namespace Payments.Workflows.Service.Ops;

/// <summary>
/// The answer to a replay: how many messages were resent to <paramref name="Destination"/> (and removed from the error
/// queue after the broker confirmed each), and the MessageIds asked for that were not among the messages read.
/// </summary>
internal sealed record ErrorQueueReplayed(string Queue, string Destination, int Replayed, IReadOnlyList<string> NotFound);
