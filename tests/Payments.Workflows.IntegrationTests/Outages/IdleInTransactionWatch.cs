using Npgsql;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// Samples <c>pg_stat_activity</c> of one database every 100 ms from a connection of its own, and keeps the longest
/// time any other session had been <c>idle in transaction</c>: a transaction held open while the service waits on
/// something else (an acquirer call, a broker send) shows as one.
/// </summary>
internal sealed class IdleInTransactionWatch : IAsyncDisposable
{
    private const string Query = """
        select extract(epoch from clock_timestamp() - state_change)::float8, coalesce(left(query, 200), '')
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Task _sampling;
    private int _samples;

    public IdleInTransactionWatch(string connectionString) => _sampling = Sample(connectionString);

    /// <summary>The longest any session was seen idle in a transaction, and its last statement.</summary>
    public (TimeSpan Time, string Statement) Longest { get; private set; } = (TimeSpan.Zero, "");

    public int Samples => Volatile.Read(ref _samples);

    private async Task Sample(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(_stop.Token);
        await using var command = new NpgsqlCommand(Query, connection);
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await every.WaitForNextTickAsync(_stop.Token))
        {
            await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
            {
                while (await reader.ReadAsync(_stop.Token))
                    Record(TimeSpan.FromSeconds(reader.GetDouble(0)), reader.GetString(1));
            }

            Interlocked.Increment(ref _samples);
        }
    }

    private void Record(TimeSpan idle, string statement)
    {
        lock (_lock)
        {
            if (idle > Longest.Time)
                Longest = (idle, statement);
        }
    }

    /// <summary>Stops sampling; fails if sampling itself failed (a watch that saw nothing proves nothing).</summary>
    public async Task Stop()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop();
        _stop.Dispose();
    }
}
