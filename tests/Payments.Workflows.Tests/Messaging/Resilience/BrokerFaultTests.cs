using Payments.Workflows.Messaging.Resilience;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Payments.Workflows.Tests.Messaging.Resilience;

/// <summary>The broker's errors: a real unreachable broker, and the close reasons RabbitMQ.Client reports.</summary>
public sealed class BrokerFaultTests
{
    [Fact]
    public async Task An_unreachable_broker_is_a_transient_broker_fault()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 1, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };

        var unreachable = await Assert.ThrowsAsync<BrokerUnreachableException>(
            () => factory.CreateConnectionAsync(TestContext.Current.CancellationToken));

        Assert.Equal(TransientFaultKind.Broker, TransientFaults.Classify(unreachable));
    }

    [Theory]
    [InlineData(320)]   // CONNECTION_FORCED: the broker is shutting down, or an operator closed the connection
    [InlineData(541)]   // INTERNAL_ERROR: also what the client reports when the socket dies
    [InlineData(200)]   // a clean close, e.g. while this service stops
    public void A_connection_the_broker_closed_or_lost_is_a_transient_broker_fault(int replyCode)
    {
        var closed = new AlreadyClosedException(CloseReason(replyCode));

        Assert.Equal(TransientFaultKind.Broker, TransientFaults.Classify(closed));
    }

    [Theory]
    [InlineData(403)]   // ACCESS_REFUSED
    [InlineData(404)]   // NOT_FOUND
    [InlineData(406)]   // PRECONDITION_FAILED
    [InlineData(530)]   // NOT_ALLOWED
    public void A_channel_the_broker_closed_because_the_request_was_wrong_is_permanent(int replyCode)
    {
        var refused = new OperationInterruptedException(CloseReason(replyCode));

        Assert.False(TransientFaults.IsTransient(refused));
        Assert.False(TransientFaults.IsTransient(new AlreadyClosedException(refused.ShutdownReason!)));
    }

    [Fact]
    public void MassTransits_connection_and_transport_failures_are_transient_broker_faults()
    {
        Assert.Equal(TransientFaultKind.Broker, TransientFaults.Classify(new RabbitMqConnectionException("Connect failed: guest@127.0.0.1:1/")));
        Assert.Equal(TransientFaultKind.Broker, TransientFaults.Classify(new TransportUnavailableException("The transport is not available")));
    }

    [Fact]
    public void A_publish_the_broker_did_not_acknowledge_is_a_transient_broker_fault()
    {
        Assert.Equal(TransientFaultKind.Broker, TransientFaults.Classify(new MessageNotAcknowledgedException(new Uri("rabbitmq://localhost/payments"), "nack")));
    }

    // The reason RabbitMQ.Client attaches when the broker (the peer) closes a channel or connection.
    private static ShutdownEventArgs CloseReason(int replyCode) =>
        new(ShutdownInitiator.Peer, (ushort)replyCode, $"reply code {replyCode}", cause: null);
}
