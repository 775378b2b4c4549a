namespace Payments.Workflows.Service.Ops;

/// <summary>
/// What a replay or delete did: <see cref="Taken"/> messages resent or removed, the MessageIds asked for and not met,
/// and, when the broker refused a resend, why (the messages from there on were left in the error queue).
/// </summary>
internal sealed record ErrorQueueTaken(ErrorQueueTakeStatus Status, int Taken, IReadOnlyList<string> NotFound, string? Failure = null);
