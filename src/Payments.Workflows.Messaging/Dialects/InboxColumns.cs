namespace Payments.Workflows.Messaging.Dialects;

/// <summary>Mapped column names of the inbox table.</summary>
public sealed record InboxColumns(
    string MessageId,
    string ConsumerId,
    string Received,
    string ReceiveCount,
    string LockId,
    string Consumed);
