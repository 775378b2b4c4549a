using System.Collections;
using System.Reflection;
using MassTransit.Context;

namespace Payments.Workflows.Messaging.Outbox;

/// <summary>
/// Batch consumers (<c>IConsumer&lt;Batch&lt;T&gt;&gt;</c>) under the inbox: MassTransit hands the whole batch over
/// in the context of its last message, so the inbox looks inside it, marks every message on its own, and gives the
/// consumer only the messages it has not seen (the first copy of each).
/// </summary>
internal static class InboxBatch
{
    /// <summary>The messages of a batch, in order; null when <typeparamref name="T"/> is not a <see cref="Batch{T}"/>.</summary>
    public static IReadOnlyList<ConsumeContext>? Messages<T>(ConsumeContext<T> context)
        where T : class =>
        Typed<T>.Keep is not null && context.Message is IEnumerable<ConsumeContext> messages ? messages.ToList() : null;

    /// <summary>The same batch context with only <paramref name="keep"/> in its batch.</summary>
    public static ConsumeContext<T> Keep<T>(ConsumeContext<T> context, IReadOnlyList<ConsumeContext> keep)
        where T : class =>
        (Typed<T>.Keep ?? throw new InvalidOperationException($"{typeof(T)} is not a batch."))(context, keep);

    private static ConsumeContext<Batch<TMessage>> KeepOf<TMessage>(ConsumeContext<Batch<TMessage>> context, IReadOnlyList<ConsumeContext> keep)
        where TMessage : class =>
        new MessageConsumeContext<Batch<TMessage>>(context, new KeptBatch<TMessage>(context.Message, keep.Cast<ConsumeContext<TMessage>>().ToArray()));

    private static class Typed<T>
        where T : class
    {
        public static readonly Func<ConsumeContext<T>, IReadOnlyList<ConsumeContext>, ConsumeContext<T>>? Keep = Create();

        private static Func<ConsumeContext<T>, IReadOnlyList<ConsumeContext>, ConsumeContext<T>>? Create()
        {
            if (!typeof(T).IsGenericType || typeof(T).GetGenericTypeDefinition() != typeof(Batch<>))
                return null;

            return typeof(InboxBatch).GetMethod(nameof(KeepOf), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeof(T).GetGenericArguments()[0])
                .CreateDelegate<Func<ConsumeContext<T>, IReadOnlyList<ConsumeContext>, ConsumeContext<T>>>();
        }
    }

    private sealed class KeptBatch<TMessage>(Batch<TMessage> original, ConsumeContext<TMessage>[] kept) : Batch<TMessage>
        where TMessage : class
    {
        public DateTime FirstMessageReceived => original.FirstMessageReceived;

        public DateTime LastMessageReceived => original.LastMessageReceived;

        public BatchCompletionMode Mode => original.Mode;

        public int Length => kept.Length;

        public ConsumeContext<TMessage> this[int index] => kept[index];

        public IEnumerator<ConsumeContext<TMessage>> GetEnumerator() => ((IEnumerable<ConsumeContext<TMessage>>)kept).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
