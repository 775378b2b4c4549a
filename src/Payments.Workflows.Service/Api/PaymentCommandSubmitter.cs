using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Sends a payment command under an Idempotency-Key. The key's record and the send are committed by one
/// <c>SaveChangesAsync</c>: with the bus outbox on, the scoped send is an outbox row in that same transaction,
/// so a request is either accepted and sent, or neither.
/// </summary>
internal sealed class PaymentCommandSubmitter(
    PaymentsDbContext db,
    ISendEndpointProvider sendEndpoints,
    TimeProvider clock,
    ILogger<PaymentCommandSubmitter> logger)
{
    public async Task<IdempotentRequest?> Find(string scope, string idempotencyKey, CancellationToken cancellationToken) =>
        await db.IdempotentRequests.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Scope == scope && r.IdempotencyKey == idempotencyKey, cancellationToken);

    /// <summary>
    /// A key seen before. The same request is accepted again and its command resent: the saga answers a repeat
    /// from its own idempotency log, and a command that came too early (before the acquirer answered) gets
    /// another chance. A different request under the key is a conflict.
    /// </summary>
    public async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Repeat<TCommand>(
        IdempotentRequest first, string requestHash, TCommand command, CancellationToken cancellationToken)
        where TCommand : class
    {
        if (!string.Equals(first.RequestHash, requestHash, StringComparison.Ordinal))
            return ApiProblems.IdempotencyKeyReused(first);

        await Send(command, cancellationToken);
        // Nothing of ours changed; with the bus outbox this commits the resent command's row.
        await db.SaveChangesAsync(cancellationToken);
        return Accepted(first.PaymentId);
    }

    /// <summary>
    /// A new key: record it (with the payment's merchant) and send the command, in one SaveChanges. An authorisation
    /// also claims its payment id (<paramref name="claimsPaymentId"/>): of two racing authorisations of one id under
    /// different keys, one commits and the other gets 409 payment-id-taken.
    /// </summary>
    public async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Submit<TCommand>(
        string scope, string idempotencyKey, string requestHash, Guid paymentId, string? merchantId, TCommand command,
        bool claimsPaymentId, CancellationToken cancellationToken)
        where TCommand : class
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.IdempotentRequests.Add(new IdempotentRequest
        {
            Scope = scope,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            PaymentId = paymentId,
            MerchantId = merchantId,
            CreatedAt = now,
        });
        if (claimsPaymentId)
        {
            db.IdempotentRequests.Add(new IdempotentRequest
            {
                Scope = IdempotencyScopes.PaymentIdClaim,
                IdempotencyKey = paymentId.ToString("D"),
                RequestHash = requestHash,
                PaymentId = paymentId,
                MerchantId = merchantId,
                CreatedAt = now,
            });
        }

        await Send(command, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request with the same key committed first (the primary key refused ours). Whatever
            // the provider's error code, the winner's row tells us the answer.
            db.ChangeTracker.Clear();
            var winner = await Find(scope, idempotencyKey, cancellationToken);
            if (winner is null && claimsPaymentId && await Find(IdempotencyScopes.PaymentIdClaim, paymentId.ToString("D"), cancellationToken) is not null)
                return ApiProblems.PaymentIdTaken(paymentId);
            if (winner is null)
                throw;
            logger.LogInformation("Concurrent request under one idempotency key in {Scope} for payment {PaymentId}", scope, winner.PaymentId);
            return string.Equals(winner.RequestHash, requestHash, StringComparison.Ordinal)
                ? Accepted(winner.PaymentId)
                : ApiProblems.IdempotencyKeyReused(winner);
        }

        return Accepted(paymentId);
    }

    private async Task Send<TCommand>(TCommand command, CancellationToken cancellationToken)
        where TCommand : class
    {
        var endpoint = await sendEndpoints.GetSendEndpoint(PaymentStateDefinition.Address);
        await endpoint.Send(command, cancellationToken);
    }

    private static Accepted<PaymentAccepted> Accepted(Guid paymentId) =>
        TypedResults.Accepted(PaymentRoutes.Location(paymentId), new PaymentAccepted(paymentId));
}
