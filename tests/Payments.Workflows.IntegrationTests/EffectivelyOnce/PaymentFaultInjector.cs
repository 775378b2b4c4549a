using System.Collections.Concurrent;
using Payments.Workflows.Messaging.Outbox;

namespace Payments.Workflows.IntegrationTests.EffectivelyOnce;

/// <summary>
/// Dies once per message at one point of the consume path: throwing there aborts the message without an ack,
/// as a crashed process would, and the broker's redelivery (our retry) meets whatever had committed.
/// </summary>
public sealed class PaymentFaultInjector(OutboxFaultPoint point) : IOutboxFaultInjector
{
    private readonly ConcurrentDictionary<Guid, byte> _died = new();

    public int Faults => _died.Count;

    public void At(OutboxFaultPoint at, Guid messageId)
    {
        if (at == point && _died.TryAdd(messageId, 0))
            throw new SimulatedCrashException($"Simulated crash {point} for message {messageId}.");
    }
}

public sealed class SimulatedCrashException(string message) : Exception(message);
