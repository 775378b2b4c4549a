using System.Collections.Concurrent;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>
/// A stand-in acquirer with deterministic test tokens: <c>tok_decline</c> is declined, <c>tok_transient</c>
/// fails transiently on its first two calls for a payment and then approves, any other token approves.
/// Latency and a random transient-fault rate come from <see cref="AcquirerOptions"/>. Like a real acquirer it
/// treats the PaymentId as its idempotency key: a repeated call for a payment gets the first call's decision.
/// Tests reach it through the container (<c>(SimulatedAcquirer)services.GetRequiredService&lt;IAcquirer&gt;()</c>)
/// to switch on an outage (<see cref="FailFor"/>), a hang (<see cref="Hang"/>) or a fault rate
/// (<see cref="FailWithProbability"/>), and to count calls per payment.
/// </summary>
internal sealed class SimulatedAcquirer(IOptions<PaymentsOptions> options, TimeProvider time) : IAcquirer
{
    public const string DeclineToken = "tok_decline";
    public const string TransientToken = "tok_transient";
    public const int TransientFailuresBeforeApproval = 2;

    private readonly ConcurrentDictionary<Guid, int> _transientCalls = new();
    private readonly ConcurrentDictionary<Guid, int> _calls = new();
    private readonly ConcurrentDictionary<Guid, AcquirerDecision> _decisions = new();
    private readonly Lock _switches = new();
    private DateTimeOffset _failingUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource _released = NewRelease(completed: true);
    private double? _faultRate;

    /// <summary>Every call fails transiently for the next <paramref name="duration"/> (an acquirer outage).</summary>
    public void FailFor(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        lock (_switches)
            _failingUntil = time.GetUtcNow() + duration;
    }

    /// <summary>Every call from now on waits without answering until it is cancelled or <see cref="Heal"/> is called.</summary>
    public void Hang()
    {
        lock (_switches)
        {
            if (_released.Task.IsCompleted)
                _released = NewRelease(completed: false);
        }
    }

    /// <summary>Each call fails transiently with <paramref name="probability"/> (0 to 1), in place of the configured rate.</summary>
    public void FailWithProbability(double probability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        lock (_switches)
            _faultRate = probability;
    }

    /// <summary>Ends every switch: no outage, hanging calls go on, the configured fault rate again.</summary>
    public void Heal()
    {
        TaskCompletionSource released;
        lock (_switches)
        {
            _failingUntil = DateTimeOffset.MinValue;
            _faultRate = null;
            released = _released;
        }

        released.TrySetResult();
    }

    /// <summary>Authorisation calls received for <paramref name="paymentId"/>, failed ones included.</summary>
    public int CallsFor(Guid paymentId) => _calls.GetValueOrDefault(paymentId);

    /// <summary>Authorisation calls received for every payment, failed ones included.</summary>
    public IReadOnlyDictionary<Guid, int> Calls() => new Dictionary<Guid, int>(_calls);

    /// <summary>The decision given for <paramref name="paymentId"/>, or null when none was given yet.</summary>
    public AcquirerDecision? DecisionFor(Guid paymentId) => _decisions.GetValueOrDefault(paymentId);

    public async Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(request.PaymentId, 1, static (_, n) => n + 1);
        var settings = options.Value.Acquirer;
        if (settings.Latency > TimeSpan.Zero)
            await Task.Delay(settings.Latency, time, cancellationToken).ConfigureAwait(false);

        Task released;
        DateTimeOffset failingUntil;
        double faultRate;
        lock (_switches)
        {
            released = _released.Task;
            failingUntil = _failingUntil;
            faultRate = _faultRate ?? settings.TransientFaultRate;
        }

        await released.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (time.GetUtcNow() < failingUntil)
            throw new AcquirerTransientException("Simulated acquirer outage.");

        if (cardToken == TransientToken && !_decisions.ContainsKey(request.PaymentId))
        {
            var call = _transientCalls.AddOrUpdate(request.PaymentId, 1, static (_, n) => n + 1);
            if (call <= TransientFailuresBeforeApproval)
                throw new AcquirerTransientException($"Simulated transient failure {call} of {TransientFailuresBeforeApproval}.");
            _transientCalls.TryRemove(request.PaymentId, out _);
        }
        else if (faultRate > 0 && Random.Shared.NextDouble() < faultRate)
        {
            throw new AcquirerTransientException("Simulated transient acquirer fault.");
        }

        // The first decision for a payment stands: a retried call is answered as the first one was.
        return _decisions.GetOrAdd(request.PaymentId, static (id, token) => token == DeclineToken
            ? AcquirerDecision.Decline("do-not-honour", "The card issuer declined the authorisation.")
            : AcquirerDecision.Approve($"sim-{id:N}"), cardToken);
    }

    private static TaskCompletionSource NewRelease(bool completed)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
            release.SetResult();
        return release;
    }
}
