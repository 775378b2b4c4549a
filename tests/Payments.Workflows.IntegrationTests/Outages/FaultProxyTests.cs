using Npgsql;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>The fault proxy against the shared PostgreSQL: it relays, it makes an outage, and it ends one.</summary>
public sealed class FaultProxyTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_query_through_the_proxy_reaches_PostgreSQL()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = FaultProxy.ForPostgres(await postgres.GetConnectionStringAsync(ct));
        var routed = NoPooling(proxy.Route(await postgres.GetConnectionStringAsync(ct)));

        Assert.Equal(42, await Scalar(routed, "SELECT 42", ct));
        Assert.Equal(1, proxy.AcceptedConnections);
    }

    [Fact]
    public async Task After_Refuse_an_open_connection_fails_transiently_and_a_new_one_is_refused_until_Restore()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await postgres.GetConnectionStringAsync(ct);
        await using var proxy = FaultProxy.ForPostgres(server);
        var routed = NoPooling(proxy.Route(server));
        await using var open = new NpgsqlConnection(routed);
        await open.OpenAsync(ct);
        await using (var warmUp = new NpgsqlCommand("SELECT 1", open))
            await warmUp.ExecuteScalarAsync(ct);

        Assert.Equal(1, proxy.Refuse());

        await using var query = new NpgsqlCommand("SELECT 1", open);
        var cut = await Assert.ThrowsAnyAsync<NpgsqlException>(() => query.ExecuteScalarAsync(ct));
        Assert.True(TransientFaults.IsTransient(cut), $"A cut connection should be transient: {cut}");
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => Scalar(routed, "SELECT 1", ct));
        Assert.True(TransientFaults.IsTransient(refused), $"A refused connection should be transient: {refused}");
        Assert.True(proxy.RefusedConnections >= 1);

        proxy.Restore();

        Assert.Equal(7, await Scalar(routed, "SELECT 7", ct));
    }

    [Fact]
    public async Task CutAll_resets_open_connections_and_keeps_accepting_new_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await postgres.GetConnectionStringAsync(ct);
        await using var proxy = FaultProxy.ForPostgres(server);
        var routed = NoPooling(proxy.Route(server));
        await using var open = new NpgsqlConnection(routed);
        await open.OpenAsync(ct);

        Assert.Equal(1, proxy.CutAll());

        await using var query = new NpgsqlCommand("SELECT 1", open);
        var cut = await Assert.ThrowsAnyAsync<NpgsqlException>(() => query.ExecuteScalarAsync(ct));
        Assert.True(TransientFaults.IsTransient(cut), $"A cut connection should be transient: {cut}");
        Assert.Equal(3, await Scalar(routed, "SELECT 3", ct));
    }

    [Fact]
    public async Task Disposing_the_proxy_closes_its_connections_and_its_port()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await postgres.GetConnectionStringAsync(ct);
        var proxy = FaultProxy.ForPostgres(server);
        var routed = NoPooling(proxy.Route(server));
        await using var open = new NpgsqlConnection(routed);
        await open.OpenAsync(ct);
        Assert.Equal(1, proxy.OpenConnections);

        await proxy.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(0, proxy.OpenConnections);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Scalar(routed, "SELECT 1", ct));
    }

    private static string NoPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static async Task<int> Scalar(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
