namespace Payments.Workflows.Messaging.Resilience;

/// <summary>What a transient fault waits for: the answer <see cref="TransientFaults.Classify"/> gives.</summary>
public enum TransientFaultKind
{
    /// <summary>
    /// The database refused or dropped the connection, is shutting down or starting, has no free connection, or
    /// could not read or write its file.
    /// </summary>
    Database,

    /// <summary>
    /// Two transactions collided and the database aborted this one: deadlock victim, serialisation failure, lock
    /// not available, SQLite busy or locked. It passes when the other transaction ends.
    /// </summary>
    Contention,

    /// <summary>The message broker cannot be reached or closed the connection.</summary>
    Broker,

    /// <summary>A connection failed with no database or broker client around it to say whose it was.</summary>
    Network,

    /// <summary>An operation ran out of time: a command, a connection attempt, a lock wait.</summary>
    Timeout,

    /// <summary>
    /// This process is stopping and its services are already gone. The message is not at fault: it goes back to its
    /// queue (or, on the in-memory transport, is sent again after the restart) for another instance or the next start.
    /// </summary>
    Stopping,
}
