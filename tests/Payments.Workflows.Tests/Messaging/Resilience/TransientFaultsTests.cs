using System.Net.Sockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage;
using Payments.Workflows.Messaging.Resilience;

namespace Payments.Workflows.Tests.Messaging.Resilience;

/// <summary>Faults that are not any one provider's, and how wrappers are seen through.</summary>
public sealed class TransientFaultsTests
{
    [Fact]
    public void A_malformed_message_is_permanent()
    {
        var malformed = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("{\"amount\":"));

        Assert.False(TransientFaults.IsTransient(malformed));
        Assert.False(TransientFaults.IsRetriable(malformed));
    }

    [Fact]
    public void Bugs_are_permanent()
    {
        Assert.False(TransientFaults.IsTransient(new ArgumentException("amount must be positive", "amount")));
        Assert.False(TransientFaults.IsTransient(new NullReferenceException()));
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("Sequence contains no elements")));
        Assert.False(TransientFaults.IsTransient(new FileNotFoundException("missing", "appsettings.json")));
    }

    [Fact]
    public void The_container_disposed_under_a_message_means_the_process_is_stopping_while_any_other_disposed_object_is_a_bug()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        services.Dispose();
        var stopping = Record.Exception(() => services.CreateScope());

        Assert.Equal(TransientFaultKind.Stopping, TransientFaults.Classify(stopping!));
        Assert.False(TransientFaults.IsTransient(new ObjectDisposedException("PaymentsDbContext")));
    }

    [Fact]
    public void A_timeout_is_transient()
    {
        Assert.Equal(TransientFaultKind.Timeout, TransientFaults.Classify(new TimeoutException()));
    }

    [Fact]
    public void A_socket_error_or_broken_stream_is_a_transient_network_fault()
    {
        Assert.Equal(TransientFaultKind.Network, TransientFaults.Classify(new SocketException((int)SocketError.ConnectionReset)));
        Assert.Equal(TransientFaultKind.Network, TransientFaults.Classify(new IOException("Unable to read data from the transport connection")));
    }

    [Fact]
    public void A_transient_cause_under_ef_cores_wrappers_is_transient()
    {
        var cause = new TimeoutException();

        Assert.True(TransientFaults.IsTransient(new DbUpdateException("save failed", cause)));
        Assert.True(TransientFaults.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", cause)));
        Assert.True(TransientFaults.IsTransient(new RetryLimitExceededException("retries exhausted", cause)));
    }

    [Fact]
    public void A_transient_cause_deep_in_the_chain_is_found()
    {
        var chain = new InvalidOperationException("outer", new ApplicationException("middle", new DbUpdateException("save", new SocketException((int)SocketError.ConnectionRefused))));

        Assert.Equal(TransientFaultKind.Network, TransientFaults.Classify(chain));
    }

    [Fact]
    public void A_transient_fault_among_an_aggregates_inner_exceptions_is_found()
    {
        var aggregate = new AggregateException(new ArgumentException("first"), new TimeoutException("second"));

        Assert.True(TransientFaults.IsTransient(aggregate));
        Assert.False(TransientFaults.IsTransient(new AggregateException(new ArgumentException("first"), new FormatException("second"))));
    }

    [Fact]
    public void A_wrapper_whose_cause_is_permanent_is_permanent()
    {
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("outer", new ArgumentException("inner"))));
    }

    [Fact]
    public void An_optimistic_concurrency_conflict_is_retriable_but_not_transient()
    {
        var conflict = new DbUpdateConcurrencyException("The row was changed by another writer.");

        Assert.False(TransientFaults.IsTransient(conflict));
        Assert.True(TransientFaults.IsRetriable(conflict));
    }
}
