using System.Collections.Frozen;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;

namespace Payments.Workflows.Messaging.Resilience;

/// <summary>SQL Server (Microsoft.Data.SqlClient): which errors pass by themselves.</summary>
internal static class SqlServerFaults
{
    // SQL Server reports errors by number, one or more per exception. 1205 (chosen as deadlock victim) and 1222 (lock
    // request timed out) lose a collision with another transaction; -2 is the client's command timeout. The rest mean
    // the connection could not be made or broke (20, 64, 233, 10053, 10054, 10060, 10061, 11001) or the database is
    // failing over, starting, throttling or briefly unavailable (615, 926, 4060, 4221, 10928, 10929, 40143, 40197,
    // 40501, 40613, 49918-49920). On Linux a refused or broken connection comes as number 0 with the socket error
    // inside, so a SqlException caused by a socket or stream failure counts too.
    private static readonly FrozenSet<int> CollisionNumbers = FrozenSet.Create(1205, 1222);
    private static readonly FrozenSet<int> UnavailableNumbers = FrozenSet.Create(
        20, 64, 233, 615, 926, 4060, 4221, 10053, 10054, 10060, 10061, 10928, 10929, 11001,
        40143, 40197, 40501, 40613, 49918, 49919, 49920);
    private const int CommandTimeout = -2;

    public static TransientFaultKind? Classify(Exception exception)
    {
        if (exception is not SqlException sql)
        {
            return null;
        }

        var numbers = sql.Errors.Cast<SqlError>().Select(error => error.Number).Append(sql.Number).ToArray();
        if (numbers.Any(CollisionNumbers.Contains))
        {
            return TransientFaultKind.Contention;
        }

        if (numbers.Contains(CommandTimeout))
        {
            return TransientFaultKind.Timeout;
        }

        if (numbers.Any(UnavailableNumbers.Contains) || sql.IsTransient || sql.InnerException is SocketException or IOException)
        {
            return TransientFaultKind.Database;
        }

        return null;
    }
}
