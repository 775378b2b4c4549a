using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>
/// A stand-in acquirer with deterministic test tokens: <c>tok_decline</c> is declined, <c>tok_transient</c>
/// fails transiently on its first two calls for a payment and then approves, any other token approves.
/// Latency and a random transient-fault rate come from <see cref="AcquirerOptions"/>.
/// </summary>
internal sealed class SimulatedAcquirer(IOptions<PaymentsOptions> options) : IAcquirer
{
    public const string DeclineToken = "tok_decline";
    public const string TransientToken = "tok_transient";
    public const int TransientFailuresBeforeApproval = 2;

    private readonly ConcurrentDictionary<Guid, int> _transientCalls = new();

    public async Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, CancellationToken cancellationToken)
    {
        var settings = options.Value.Acquirer;
        if (settings.Latency > TimeSpan.Zero)
            await Task.Delay(settings.Latency, cancellationToken).ConfigureAwait(false);

        if (request.CardToken == TransientToken)
        {
            var call = _transientCalls.AddOrUpdate(request.PaymentId, 1, (_, n) => n + 1);
            if (call <= TransientFailuresBeforeApproval)
                throw new AcquirerTransientException($"Simulated transient failure {call} of {TransientFailuresBeforeApproval}.");
            _transientCalls.TryRemove(request.PaymentId, out _);
        }
        else if (settings.TransientFaultRate > 0 && Random.Shared.NextDouble() < settings.TransientFaultRate)
        {
            throw new AcquirerTransientException("Simulated transient acquirer fault.");
        }

        return request.CardToken == DeclineToken
            ? AcquirerDecision.Decline("do-not-honour", "The card issuer declined the authorisation.")
            : AcquirerDecision.Approve($"sim-{request.PaymentId:N}");
    }
}
