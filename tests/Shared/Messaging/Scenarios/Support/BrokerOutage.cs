using System.Net.Sockets;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// Connected to a bus as a send observer: while <see cref="Active"/>, every send fails with the exception MassTransit
/// throws when it has lost its broker connection.
/// </summary>
public sealed class BrokerOutage : ISendObserver
{
    private volatile bool _active;
    private int _refusals;

    public bool Active
    {
        get => _active;
        set => _active = value;
    }

    /// <summary>If set, only sends of the message with this id fail: one row's own transport fault.</summary>
    public Guid? OnlyMessageId { get; set; }

    public int Refusals => Volatile.Read(ref _refusals);

    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        // The delivery service sends a stored row as its serialized body, so the message id, not the type, tells rows apart.
        if (_active && (OnlyMessageId is null || OnlyMessageId == context.MessageId))
        {
            Interlocked.Increment(ref _refusals);
            // A socket reset, not MassTransit's ConnectionException: RabbitMQ's transport would take that one as its
            // own cue to reconnect and retry the send until the delivery service's send timeout.
            throw new SocketException((int)SocketError.ConnectionReset);
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
