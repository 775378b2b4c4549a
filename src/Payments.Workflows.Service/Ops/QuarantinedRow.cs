namespace Payments.Workflows.Service.Ops;

/// <summary>One quarantined outbox row: which message, where to, and why it kept failing. Never its body or headers.</summary>
internal sealed record QuarantinedRow(
    long SequenceNumber,
    Guid MessageId,
    string MessageType,
    Uri? Destination,
    int DeliveryAttempts,
    string? LastError,
    DateTime WrittenAt,
    DateTime QuarantinedAt);
