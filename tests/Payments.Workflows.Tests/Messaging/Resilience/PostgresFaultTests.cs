using Npgsql;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Tests.Messaging.Resilience;

/// <summary>
/// PostgreSQL's errors: a real refused connection, and server errors built with PostgresException's public
/// constructor (the integration tier provokes the same errors on a real server).
/// </summary>
public sealed class PostgresFaultTests
{
    [Fact]
    public async Task A_refused_connection_is_a_transient_database_fault()
    {
        await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Timeout=2;Username=nobody;Password=nothing;Pooling=false");

        var refused = await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(refused));
    }

    [Theory]
    [InlineData("40001")]   // serialization_failure
    [InlineData("40P01")]   // deadlock_detected
    [InlineData("55P03")]   // lock_not_available
    public void A_transaction_aborted_by_a_collision_is_transient_contention(string sqlState)
    {
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(ServerError(sqlState)));
    }

    [Theory]
    [InlineData("57P01")]   // admin_shutdown
    [InlineData("57P02")]   // crash_shutdown
    [InlineData("57P03")]   // cannot_connect_now
    [InlineData("53300")]   // too_many_connections
    [InlineData("08006")]   // connection_failure
    [InlineData("08001")]   // sqlclient_unable_to_establish_sqlconnection
    public void A_server_that_is_going_away_or_full_is_a_transient_database_fault(string sqlState)
    {
        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(ServerError(sqlState)));
    }

    [Fact]
    public void A_statement_timeout_is_a_transient_timeout()
    {
        Assert.Equal(TransientFaultKind.Timeout, TransientFaults.Classify(ServerError("57014")));
    }

    [Theory]
    [InlineData("23505")]   // unique_violation
    [InlineData("22P02")]   // invalid_text_representation
    [InlineData("23503")]   // foreign_key_violation
    [InlineData("42P01")]   // undefined_table
    public void A_statement_the_server_rejects_is_permanent(string sqlState)
    {
        Assert.False(TransientFaults.IsTransient(ServerError(sqlState)));
    }

    [Fact]
    public void A_deadlock_inside_ef_cores_update_exception_is_transient()
    {
        var failure = new DbUpdateException("An error occurred while saving the entity changes.", ServerError("40P01"));

        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(failure));
    }

    [Fact]
    public void A_unique_violation_inside_ef_cores_update_exception_is_retriable_but_not_transient()
    {
        var failure = new DbUpdateException("An error occurred while saving the entity changes.", ServerError("23505"));

        Assert.False(TransientFaults.IsTransient(failure));
        Assert.True(TransientFaults.IsRetriable(failure));
    }

    [Fact]
    public void A_broken_stream_under_an_npgsql_exception_is_transient()
    {
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(broken));
    }

    [Fact]
    public void A_timed_out_read_under_an_npgsql_exception_is_a_transient_timeout()
    {
        var timedOut = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));

        Assert.Equal(TransientFaultKind.Timeout, TransientFaults.Classify(timedOut));
    }

    private static PostgresException ServerError(string sqlState) =>
        new($"error {sqlState}", "ERROR", "ERROR", sqlState);
}
