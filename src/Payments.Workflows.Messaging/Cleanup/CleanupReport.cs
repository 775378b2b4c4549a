namespace Payments.Workflows.Messaging.Cleanup;

internal sealed record CleanupReport(int ExpiredInboxMarks, long StuckOutbox, long Quarantined, long IncompleteInbox);
