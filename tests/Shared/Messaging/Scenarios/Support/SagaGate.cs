namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// Holds the timer saga's start of one timer until the test opens the gate, so that the messages sent meanwhile
/// queue up behind it (e.g. for the next saga batch). Registered as a singleton; the saga looks it up.
/// </summary>
public sealed class SagaGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid HeldTimerId { get; init; }

    /// <summary>Completes once the held timer's start is inside the saga, waiting for the gate.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _opened.TrySetResult();

    internal Task Pass(Guid timerId)
    {
        if (timerId != HeldTimerId)
            return Task.CompletedTask;
        _entered.TrySetResult();
        return _opened.Task;
    }
}
