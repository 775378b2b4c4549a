using MassTransit.Serialization;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

/// <summary>
/// Connected to a bus as a send observer: the first stored row the bus sends (a <see cref="SerializedMessageBody"/>,
/// as the outbox sends its rows) waits in the send until <see cref="Release"/>, as if the broker were slow to answer.
/// </summary>
public sealed class HeldSend : ISendObserver
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the held row's MessageId when its send has started.</summary>
    public TaskCompletionSource<Guid> Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Released => _release.Task.IsCompleted;

    public void Release() => _release.TrySetResult();

    public async Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        if (typeof(T) == typeof(SerializedMessageBody) && context.MessageId is { } messageId && Holding.TrySetResult(messageId))
            await _release.Task.ConfigureAwait(false);
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
