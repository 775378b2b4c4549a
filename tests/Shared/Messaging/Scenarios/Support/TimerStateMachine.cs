namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>A saga that schedules its own expiry: started, stopped (unschedules) or expired (publishes).</summary>
public sealed class TimerStateMachine : MassTransitStateMachine<TimerState>
{
    public TimerStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Started, x => x.CorrelateById(m => m.Message.TimerId));
        Event(() => Stopped, x => x.CorrelateById(m => m.Message.TimerId));
        Schedule(() => Expiry, x => x.ExpiryToken, s => s.Received = r => r.CorrelateById(m => m.Message.TimerId));

        Initially(
            When(Started)
                .Schedule(Expiry, context => new TimerElapsed { TimerId = context.Message.TimerId }, context => context.Message.Delay)
                .Publish(context => new TimerStarted { TimerId = context.Message.TimerId })
                .ThenAsync(context => context.GetPayload<IServiceProvider>().GetService<SagaGate>()?.Pass(context.Message.TimerId) ?? Task.CompletedTask)
                .Then(context =>
                {
                    if (context.Message.Fail)
                        throw new InvalidOperationException("Timer start failed on purpose.");
                })
                .TransitionTo(Running));

        During(Running,
            When(Stopped)
                .Unschedule(Expiry)
                .TransitionTo(Halted),
            When(Expiry!.Received)
                .Publish(context => new TimerExpired { TimerId = context.Saga.CorrelationId })
                .TransitionTo(Expired));
    }

    public State Running { get; private set; } = null!;

    public State Halted { get; private set; } = null!;

    public State Expired { get; private set; } = null!;

    public Event<StartTimer> Started { get; private set; } = null!;

    public Event<StopTimer> Stopped { get; private set; } = null!;

    public Schedule<TimerState, TimerElapsed> Expiry { get; private set; } = null!;
}
