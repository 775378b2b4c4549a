namespace Payments.Workflows.Messaging.Dialects;

/// <summary>Mapped column names of the outbox table that the claim statement filters and orders on.</summary>
public sealed record OutboxColumns(
    string SequenceNumber,
    string DueAt,
    string QuarantinedAt);
