using System.Net.Sockets;
using System.Reflection;
using Microsoft.Data.SqlClient;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Tests.Messaging.Resilience;

/// <summary>SQL Server's errors: a real refused connection, and server errors built by the driver's own factory.</summary>
public sealed class SqlServerFaultTests
{
    [Fact]
    public async Task A_refused_connection_is_a_transient_database_fault()
    {
        await using var connection = new SqlConnection(
            "Server=tcp:127.0.0.1,1;Connect Timeout=2;Encrypt=False;User ID=nobody;Password=nothing;Pooling=False");

        var failure = await Record.ExceptionAsync(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        if (failure is NotSupportedException)
        {
            // SqlClient refuses to open any connection while the build sets InvariantGlobalization
            // (Directory.Build.props); the next test has the exception it throws otherwise.
            Assert.Skip($"SqlClient cannot connect in this process: {failure.Message}");
        }

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(Assert.IsType<SqlException>(failure)));
    }

    [Fact]
    public void A_connection_refused_as_sql_client_reports_it_on_linux_is_a_transient_database_fault()
    {
        // What SqlClient 6.1 threw for 127.0.0.1:1 with globalization on: number 0 ("error: 35 - An internal
        // exception was caught"), class 20, the socket error inside.
        var refused = ServerError([0], new SocketException((int)SocketError.ConnectionRefused), errorClass: 20);

        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(refused));
    }

    [Fact]
    public void A_fatal_error_that_is_not_a_connection_failure_is_permanent()
    {
        Assert.False(TransientFaults.IsTransient(ServerError([824], innerException: null, errorClass: 24)));   // I/O consistency error: corruption
    }

    [Fact]
    public void A_deadlock_victim_is_transient_contention()
    {
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(ServerError(1205)));
    }

    [Fact]
    public void A_lock_request_timeout_is_transient_contention()
    {
        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(ServerError(1222)));
    }

    [Fact]
    public void A_command_timeout_is_a_transient_timeout()
    {
        Assert.Equal(TransientFaultKind.Timeout, TransientFaults.Classify(ServerError(-2)));
    }

    [Theory]
    [InlineData(4060)]    // cannot open the database (failing over)
    [InlineData(40501)]   // the service is busy
    [InlineData(40613)]   // the database is not currently available
    [InlineData(10054)]   // the connection was reset
    [InlineData(49920)]   // too many operations in progress
    public void A_database_that_is_failing_over_or_busy_is_transient(int number)
    {
        Assert.Equal(TransientFaultKind.Database, TransientFaults.Classify(ServerError(number)));
    }

    [Theory]
    [InlineData(2627)]   // unique constraint violation
    [InlineData(547)]    // foreign key or check constraint violation
    [InlineData(208)]    // invalid object name
    [InlineData(8152)]   // string or binary data would be truncated
    public void A_statement_the_server_rejects_is_permanent(int number)
    {
        Assert.False(TransientFaults.IsTransient(ServerError(number)));
    }

    [Fact]
    public void A_deadlock_victim_reported_after_other_errors_is_still_transient()
    {
        Assert.True(TransientFaults.IsTransient(ServerError(3621, 1205)));   // "the statement has been terminated", then 1205
    }

    [Fact]
    public void A_deadlock_victim_inside_ef_cores_update_exception_is_transient()
    {
        var failure = new DbUpdateException("An error occurred while saving the entity changes.", ServerError(1205));

        Assert.Equal(TransientFaultKind.Contention, TransientFaults.Classify(failure));
    }

    // SqlException has no public constructor and no SQL Server runs in the fast tier, so the server errors come from
    // SqlClient's internal factory, the one it uses for every error a server reports. The integration tier provokes
    // a real deadlock where a SQL Server is available.
    private static SqlException ServerError(params int[] numbers) => ServerError(numbers, innerException: null);

    private static SqlException ServerError(int[] numbers, Exception? innerException, byte errorClass = 16)
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errors = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        var errorConstructor = typeof(SqlError).GetConstructor(
            Internal,
            [typeof(int), typeof(byte), typeof(byte), typeof(string), typeof(string), typeof(string), typeof(int), typeof(Exception)])!;
        var add = typeof(SqlErrorCollection).GetMethod("Add", Internal)!;
        foreach (var number in numbers)
        {
            var error = errorConstructor.Invoke([number, (byte)1, errorClass, "server", $"error {number}", "", 1, innerException]);
            add.Invoke(errors, [error]);
        }

        var create = typeof(SqlException).GetMethod(
            "CreateException",
            BindingFlags.NonPublic | BindingFlags.Static,
            [typeof(SqlErrorCollection), typeof(string), typeof(Guid), typeof(Exception)])!;
        return (SqlException)create.Invoke(null, [errors, "16.0.0", Guid.Empty, innerException])!;
    }
}
