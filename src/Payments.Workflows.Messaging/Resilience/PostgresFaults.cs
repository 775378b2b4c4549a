using System.Collections.Frozen;
using Npgsql;

namespace Payments.Workflows.Messaging.Resilience;

/// <summary>PostgreSQL (Npgsql): which errors pass by themselves.</summary>
internal static class PostgresFaults
{
    // PostgreSQL names errors by SQLSTATE. 40001 (serialisation failure), 40P01 (deadlock) and 55P03 (lock not
    // available) abort one of two colliding transactions; 57P01-57P03 (shutting down, crashed, starting), 53300 (no
    // free connection slot) and class 08 (connection exception) mean the server is away for now; 57014 is a
    // statement_timeout or a cancelled statement. Npgsql's own IsTransient agrees and adds socket, I/O and timeout
    // failures under a plain NpgsqlException (refused or broken connections, pool exhaustion); either answer counts.
    private static readonly FrozenSet<string> CollisionStates = FrozenSet.Create(StringComparer.Ordinal, "40001", "40P01", "55P03");
    private static readonly FrozenSet<string> UnavailableStates = FrozenSet.Create(StringComparer.Ordinal, "57P01", "57P02", "57P03", "53300");

    public static TransientFaultKind? Classify(Exception exception) => exception switch
    {
        PostgresException postgres when CollisionStates.Contains(postgres.SqlState) => TransientFaultKind.Contention,
        PostgresException { SqlState: "57014" } => TransientFaultKind.Timeout,
        PostgresException postgres when UnavailableStates.Contains(postgres.SqlState)
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.IsTransient => TransientFaultKind.Database,
        PostgresException => null,
        NpgsqlException { IsTransient: true, InnerException: TimeoutException } => TransientFaultKind.Timeout,
        NpgsqlException { IsTransient: true } => TransientFaultKind.Database,
        _ => null,
    };
}
