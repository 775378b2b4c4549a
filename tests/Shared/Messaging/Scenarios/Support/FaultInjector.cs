using Payments.Workflows.Messaging.Outbox;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

public sealed class SimulatedCrashException(OutboxFaultPoint point) : Exception($"Simulated crash at {point}.");

/// <summary>Throws once at <paramref name="point"/> for <paramref name="messageId"/>: the process "dies" there.</summary>
public sealed class FaultInjector(OutboxFaultPoint point, Guid messageId) : IOutboxFaultInjector
{
    private int _fired;

    public bool Fired => Volatile.Read(ref _fired) == 1;

    public void At(OutboxFaultPoint at, Guid id)
    {
        if (at == point && id == messageId && Interlocked.Exchange(ref _fired, 1) == 0)
            throw new SimulatedCrashException(point);
    }
}
