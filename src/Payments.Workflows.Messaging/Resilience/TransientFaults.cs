using System.Data.Common;
using System.Net.Sockets;

namespace Payments.Workflows.Messaging.Resilience;

/// <summary>
/// Decides in one place whether a fault is transient (the database or broker is away, two transactions collided,
/// something timed out: waiting and trying again succeeds) or permanent (the message or the code is wrong: trying
/// again gives the same answer). Message retry, the filter that returns an exhausted message to its queue instead of
/// <c>_error</c>, and background services choosing between backing off and reporting a bug all ask here.
/// </summary>
/// <remarks>
/// The exception, its <see cref="Exception.InnerException"/> chain and every inner exception of an
/// <see cref="AggregateException"/> are examined, outermost first, so wrappers (EF Core's
/// <see cref="DbUpdateException"/>, <see cref="InvalidOperationException"/> and
/// <c>RetryLimitExceededException</c>, MassTransit's consumer exceptions) are transient exactly when their cause is.
/// </remarks>
public static class TransientFaults
{
    // Deep enough for any real wrapper chain; bounds a pathological (cyclic or huge) exception graph.
    private const int MaxExceptionsExamined = 64;

    /// <summary>Whether waiting and trying again can succeed: the fault is an outage, a collision or a timeout.</summary>
    public static bool IsTransient(Exception exception) => Classify(exception) is not null;

    /// <summary>What the transient fault in <paramref name="exception"/> is, or <c>null</c> when it is permanent.</summary>
    public static TransientFaultKind? Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var cause in Causes(exception))
        {
            if (ClassifyOne(cause) is { } kind)
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether an immediate retry on a fresh DbContext is worth it: a transient fault, or a write that lost a race
    /// (any <see cref="DbUpdateException"/>, <see cref="DbUpdateConcurrencyException"/> included).
    /// </summary>
    /// <remarks>
    /// A lost write race is not an outage: the first insert of a row that another message inserted first (a unique
    /// violation), or an optimistic-concurrency check that another writer moved on. A fresh attempt reads the winner's
    /// row and normally succeeds, so message retry covers it. If it keeps failing through every retry the cause is not
    /// going away by waiting (a constraint the message breaks, a row deleted for good), so it is not
    /// <see cref="IsTransient"/> and the message goes to <c>_error</c> with its reason rather than back to its queue.
    /// </remarks>
    public static bool IsRetriable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IsTransient(exception) || Causes(exception).Any(cause => cause is DbUpdateException);
    }

    private static TransientFaultKind? ClassifyOne(Exception exception) =>
        PostgresFaults.Classify(exception)
        ?? SqlServerFaults.Classify(exception)
        ?? SqliteFaults.Classify(exception)
        ?? BrokerFaults.Classify(exception)
        ?? ClassifyRuntime(exception);

    // Faults of the runtime itself, whoever threw them. Every I/O this service does outside its database file is a
    // network stream (database, broker, acquirer), so an IOException is a broken connection unless it names a file.
    // Any other database client that says its error is transient is believed.
    private static TransientFaultKind? ClassifyRuntime(Exception exception) => exception switch
    {
        TimeoutException => TransientFaultKind.Timeout,
        SocketException => TransientFaultKind.Network,
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException or DriveNotFoundException or FileLoadException => null,
        IOException => TransientFaultKind.Network,
        DbException { IsTransient: true } => TransientFaultKind.Database,
        // The host disposed its container while a message was still under way: only a stopping process does that.
        ObjectDisposedException { ObjectName: "IServiceProvider" } => TransientFaultKind.Stopping,
        _ => null,
    };

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Queue<Exception>();
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        pending.Enqueue(exception);
        while (pending.TryDequeue(out var current) && seen.Count < MaxExceptionsExamined)
        {
            if (!seen.Add(current))
            {
                continue;
            }

            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }
    }
}
