namespace Payments.Workflows.Service.Ops;

/// <summary>How a replay or delete on an error queue ended.</summary>
internal enum ErrorQueueTakeStatus
{
    /// <summary>Every chosen message read was resent (or removed).</summary>
    Done,

    /// <summary>The vhost has no such queue.</summary>
    NoSuchQueue,

    /// <summary>The queue the error queue belongs to (its name without _error) does not exist: nowhere to replay to.</summary>
    NoDestination,

    /// <summary>The broker did not confirm a resend; that message and the rest stay in the error queue.</summary>
    ResendRefused,
}
