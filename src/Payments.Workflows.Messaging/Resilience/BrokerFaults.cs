using System.Collections.Frozen;

namespace Payments.Workflows.Messaging.Resilience;

/// <summary>The message broker: MassTransit's transport exceptions and RabbitMQ.Client's, matched by name.</summary>
internal static class BrokerFaults
{
    // A broker that is down, restarting or unreachable comes back, and MassTransit reconnects by itself. Messaging is
    // transport-neutral and does not reference RabbitMQ.Client, so its exception types are matched by full name (base
    // types included) and the close reason is read by property name. A closed channel or connection is transient
    // unless the broker closed it because the request was wrong: those AMQP reply codes repeat on every attempt.
    private const string ClientExceptions = "RabbitMQ.Client.Exceptions.";

    private static readonly FrozenSet<string> UnreachableTypes = FrozenSet.Create(
        StringComparer.Ordinal,
        ClientExceptions + "BrokerUnreachableException",
        ClientExceptions + "ConnectFailureException",
        "MassTransit.MessageNotAcknowledgedException");

    private const string InterruptedType = ClientExceptions + "OperationInterruptedException";

    // content-too-large, no-route, no-consumers, invalid-path, access-refused, not-found, precondition-failed,
    // frame-error, syntax-error, command-invalid, channel-error, unexpected-frame, not-allowed, not-implemented.
    private static readonly FrozenSet<int> RefusedReplyCodes = FrozenSet.Create(
        311, 312, 313, 402, 403, 404, 406, 501, 502, 503, 504, 505, 530, 540);

    public static TransientFaultKind? Classify(Exception exception)
    {
        if (exception is ConnectionException or TransportUnavailableException)
        {
            return TransientFaultKind.Broker;
        }

        for (var type = exception.GetType(); type is not null && type != typeof(Exception); type = type.BaseType)
        {
            if (type.FullName is not { } name)
            {
                continue;
            }

            if (UnreachableTypes.Contains(name))
            {
                return TransientFaultKind.Broker;
            }

            if (name == InterruptedType)
            {
                return ReplyCode(exception) is { } code && RefusedReplyCodes.Contains(code) ? null : TransientFaultKind.Broker;
            }
        }

        return null;
    }

    // OperationInterruptedException.ShutdownReason.ReplyCode; a missing reason means the connection was lost.
    private static int? ReplyCode(Exception exception)
    {
        var reason = exception.GetType().GetProperty("ShutdownReason")?.GetValue(exception);
        return reason?.GetType().GetProperty("ReplyCode")?.GetValue(reason) is ushort code ? code : null;
    }
}
