namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>A command whose consumer writes one row keyed by <see cref="Key"/> and publishes <see cref="Events"/> events.</summary>
public sealed record DoWork
{
    public required string Key { get; init; }

    public int Events { get; init; } = 1;

    public bool Fail { get; init; }
}

/// <summary>One unit of work for the batch consumer: one row keyed by <see cref="Key"/>, one event.</summary>
public sealed record DoBatchWork
{
    public required string Key { get; init; }
}

public sealed record WorkDone
{
    public required string Key { get; init; }

    public int Index { get; init; }
}

public sealed record StartTimer
{
    public required Guid TimerId { get; init; }

    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The saga throws after scheduling and publishing: nothing of it may commit.</summary>
    public bool Fail { get; init; }
}

public sealed record StopTimer
{
    public required Guid TimerId { get; init; }
}

public sealed record TimerStarted
{
    public required Guid TimerId { get; init; }
}

public sealed record TimerElapsed
{
    public required Guid TimerId { get; init; }
}

public sealed record TimerExpired
{
    public required Guid TimerId { get; init; }
}

/// <summary>Work whose consumer waits at the host's <see cref="WorkGate"/> before it writes its row.</summary>
public sealed record DoGatedWork
{
    public required string Key { get; init; }
}
