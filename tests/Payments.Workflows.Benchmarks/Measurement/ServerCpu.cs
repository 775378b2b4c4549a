namespace Payments.Workflows.Benchmarks.Measurement;

/// <summary>
/// CPU time the local PostgreSQL and RabbitMQ servers have used, read from <c>/proc</c>: every process named
/// <c>postgres</c>, and RabbitMQ's Erlang VM with its helpers. A process's children that have exited count through
/// their parent's reaped-children time, so closed connections are not lost. Empty where there is no <c>/proc</c> or
/// the servers' processes are not visible in it (another host, or a separate process namespace).
/// </summary>
public static class ServerCpu
{
    // USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private static readonly Dictionary<string, string> ServerOf = new(StringComparer.Ordinal)
    {
        ["postgres"] = "PostgreSQL",
        ["beam.smp"] = "RabbitMQ",
        ["erl_child_setup"] = "RabbitMQ",
        ["inet_gethost"] = "RabbitMQ",
        ["epmd"] = "RabbitMQ",
    };

    /// <summary>Seconds of CPU each server has used so far (user and system, with exited children).</summary>
    public static IReadOnlyDictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>();
        if (!Directory.Exists("/proc"))
            return seconds;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // exited between listing and reading
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || !ServerOf.TryGetValue(stat[(open + 1)..close], out var server))
                continue;
            var fields = stat[(close + 2)..].Split(' ');
            // After comm: state is field 0, so utime, stime, cutime and cstime are fields 11 to 14.
            var ticks = Enumerable.Range(11, 4).Sum(i => double.Parse(fields[i], CultureInfo.InvariantCulture));
            seconds[server] = seconds.GetValueOrDefault(server) + ticks / TicksPerSecond;
        }

        return seconds;
    }

    /// <summary>Seconds each server used between two readings; servers seen in only one are left out.</summary>
    public static IReadOnlyDictionary<string, double> Since(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
        after.Where(a => before.ContainsKey(a.Key))
            .ToDictionary(a => a.Key, a => Math.Round(a.Value - before[a.Key], 2));
}
