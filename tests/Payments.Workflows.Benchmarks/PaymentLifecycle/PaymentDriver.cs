using System.Collections.Concurrent;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Benchmarks.PaymentLifecycle;

/// <summary>
/// Plays the publishing service and the client waiting on outcomes: sends each payment's commands (10% of them
/// twice, same idempotency key, new MessageId), and reacts to the service's events with the next command.
/// Command latency runs from a command's send (for the first command of an open-loop payment: its scheduled
/// time, so a late sender counts against latency) to its outcome event.
/// </summary>
public sealed class PaymentDriver(ISendEndpoint commands)
{
    private readonly ConcurrentDictionary<Guid, PaymentRun> _payments = new();
    private readonly ConcurrentQueue<string> _rejections = new();
    private int _index = -1;
    private long _unknownEvents;

    public IReadOnlyCollection<PaymentRun> Payments => (IReadOnlyCollection<PaymentRun>)_payments.Values;

    public long UnknownEvents => Interlocked.Read(ref _unknownEvents);

    public IReadOnlyCollection<string> Rejections => _rejections;

    /// <summary>Maximum rate: <paramref name="count"/> payments with at most <paramref name="inFlight"/> unfinished at a time.</summary>
    public async Task<Phase> ClosedLoop(int count, int inFlight, CancellationToken cancellationToken)
    {
        var phase = new Phase(count, new SemaphoreSlim(inFlight));
        var started = 0;

        async Task Producer()
        {
            while (Interlocked.Increment(ref started) <= count)
            {
                await phase.Window!.WaitAsync(cancellationToken);
                await Start(phase, Stopwatch.GetTimestamp(), cancellationToken);
            }
        }

        var producers = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Producer, cancellationToken)));
        await Progress.Wait(Task.WhenAll(producers, phase.Done), () => phase.CompletedCount, count, "payments", cancellationToken);
        return phase;
    }

    /// <summary>A fixed offered rate: payment i starts at i / <paramref name="perSecond"/>, whatever the service's pace.</summary>
    public async Task<Phase> OpenLoop(int count, double perSecond, CancellationToken cancellationToken)
    {
        var phase = new Phase(count, null);
        var origin = Stopwatch.GetTimestamp();
        var sending = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = origin + (long)(i / perSecond * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait, cancellationToken);
            sending.Add(Start(phase, due, cancellationToken));
        }

        await Progress.Wait(Task.WhenAll(Task.WhenAll(sending), phase.Done), () => phase.CompletedCount, count, "payments", cancellationToken);
        return phase;
    }

    public Task OnAuthorised(PaymentAuthorised message, CancellationToken cancellationToken) =>
        Continue(message.PaymentId, static r => Once(ref r.AuthorisedSeen), static run => run.Plan.Captures
            ? new CapturePayment { PaymentId = run.PaymentId, IdempotencyKey = $"capture-{run.PaymentId:N}", Amount = run.Plan.Amount }
            : null, cancellationToken);

    public void OnDeclined(PaymentDeclined message) => Finish(message.PaymentId, static r => Once(ref r.DeclinedSeen));

    public Task OnCaptured(PaymentCaptured message, CancellationToken cancellationToken) =>
        Continue(message.PaymentId, static r => Once(ref r.CapturedSeen), static run => run.Plan.Outcome == PaymentOutcome.PartiallyRefunded
            ? new RefundPayment { PaymentId = run.PaymentId, IdempotencyKey = $"refund-{run.PaymentId:N}", Amount = run.Plan.RefundAmount }
            : null, cancellationToken);

    public void OnRefunded(PaymentRefunded message) => Finish(message.PaymentId, static r => Once(ref r.RefundedSeen));

    public void OnRejected(PaymentCommandRejected message) =>
        _rejections.Enqueue($"{message.Command} {message.PaymentId}: {message.ReasonCode} {message.Reason}");

    private async Task Start(Phase phase, long startedAt, CancellationToken cancellationToken)
    {
        var plan = PaymentPlan.For(Interlocked.Increment(ref _index));
        var run = new PaymentRun(Guid.NewGuid(), plan, phase, startedAt);
        _payments[run.PaymentId] = run;
        var authorise = new AuthorisePayment
        {
            PaymentId = run.PaymentId,
            IdempotencyKey = $"authorise-{run.PaymentId:N}",
            MerchantId = $"merchant-{run.PaymentId.GetHashCode() & 31}",
            CustomerId = $"customer-{run.PaymentId.GetHashCode() & 1023}",
            Amount = plan.Amount,
            Currency = "EUR",
            CardToken = plan.Outcome == PaymentOutcome.Declined ? SimulatedAcquirer.DeclineToken : "tok_visa",
        };
        await Send(run, authorise, cancellationToken, startedAt);
    }

    private async Task Send<T>(PaymentRun run, T command, CancellationToken cancellationToken, long? sentAt = null)
        where T : class
    {
        run.CommandSentAt = sentAt ?? Stopwatch.GetTimestamp();
        await commands.Send(command, c => c.MessageId = NewId.NextGuid(), cancellationToken);
        if (run.Plan.Duplicated)
            await commands.Send(command, c => c.MessageId = NewId.NextGuid(), cancellationToken);
    }

    /// <summary>
    /// On the payment's first answer of this kind (<paramref name="once"/>): sends the <paramref name="next"/> command
    /// where its plan has one, otherwise the payment is done.
    /// </summary>
    private async Task Continue<T>(Guid paymentId, Func<PaymentRun, bool> once, Func<PaymentRun, T?> next, CancellationToken cancellationToken)
        where T : class
    {
        if (FirstAnswer(paymentId, once) is not { } run)
            return;
        if (next(run) is { } command)
            await Send(run, command, cancellationToken);
        else
            Complete(run);
    }

    /// <summary>On the payment's first final answer of this kind (<paramref name="once"/>), the payment is done.</summary>
    private void Finish(Guid paymentId, Func<PaymentRun, bool> once)
    {
        if (FirstAnswer(paymentId, once) is { } run)
            Complete(run);
    }

    private static void Complete(PaymentRun run)
    {
        if (Once(ref run.Done))
            run.Phase.Completed(run.StartedAt);
    }

    /// <summary>
    /// The run a payment's answer belongs to, with its command's latency recorded; null for a payment this driver did
    /// not send or an answer seen before (<paramref name="once"/> marks it seen).
    /// </summary>
    private PaymentRun? FirstAnswer(Guid paymentId, Func<PaymentRun, bool> once)
    {
        if (Find(paymentId) is not { } run || !once(run))
            return null;
        run.Phase.CommandLatency.RecordSince(run.CommandSentAt);
        return run;
    }

    private PaymentRun? Find(Guid paymentId)
    {
        if (_payments.TryGetValue(paymentId, out var run))
            return run;
        Interlocked.Increment(ref _unknownEvents);
        return null;
    }

    private static bool Once(ref int flag) => Interlocked.Exchange(ref flag, 1) == 0;

    public sealed class PaymentRun(Guid paymentId, PaymentPlan plan, Phase phase, long startedAt)
    {
        public Guid PaymentId { get; } = paymentId;

        public PaymentPlan Plan { get; } = plan;

        public Phase Phase { get; } = phase;

        public long StartedAt { get; } = startedAt;

        public long CommandSentAt;
        public int AuthorisedSeen;
        public int DeclinedSeen;
        public int CapturedSeen;
        public int RefundedSeen;
        public int Done;
    }

    public sealed class Phase(int expected, SemaphoreSlim? window)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly long _startedAt = Stopwatch.GetTimestamp();
        private int _completed;
        private long _lastCompletedAt;

        public SemaphoreSlim? Window { get; } = window;

        /// <summary>Each command to its outcome event: what a client waits for.</summary>
        public LatencyRecorder CommandLatency { get; } = new();

        /// <summary>A payment's first command to its terminal event (one to three commands).</summary>
        public LatencyRecorder PaymentLatency { get; } = new();

        public int CompletedCount => Volatile.Read(ref _completed);

        public Task Done => _done.Task;

        public double Seconds => Stopwatch.GetElapsedTime(_startedAt, Interlocked.Read(ref _lastCompletedAt)).TotalSeconds;

        public void Completed(long startedAt)
        {
            PaymentLatency.RecordSince(startedAt);
            Interlocked.Exchange(ref _lastCompletedAt, Stopwatch.GetTimestamp());
            Window?.Release();
            if (Interlocked.Increment(ref _completed) == expected)
                _done.TrySetResult();
        }
    }
}
