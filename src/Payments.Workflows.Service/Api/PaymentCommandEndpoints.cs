using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// POST /payments/{id}/captures, /void and /refunds. The API refuses what it can see is wrong (bad input, an
/// unknown payment, an amount its currency cannot carry, a payment not authorised yet, a key this payment used for
/// another command); the saga rejects the rest (wrong state, more than authorised or captured) and the rejection shows in the payment's <c>rejections</c>. Merchant keys only, on their
/// own merchant's payments: another merchant's payment is not found, before its keys are looked at.
/// </summary>
internal static class PaymentCommandEndpoints
{
    private const string AuthorisingState = "Authorising";

    public static IEndpointRouteBuilder MapPaymentCommandEndpoints(this IEndpointRouteBuilder app)
    {
        var payment = app.MapGroup(PaymentRoutes.Payment).WithTags("Payments").RequireAuthorization(ApiKeyRoles.Merchant);
        payment.MapPost("/captures", Capture)
            .WithName("CapturePayment")
            .WithSummary("Capture all or part of what is authorised.")
            .Accepts<AmountRequest>("application/json")
            .ProducesCommandProblems();
        payment.MapPost("/void", Void)
            .WithName("VoidPayment")
            .WithSummary("Release the uncaptured remainder of the authorisation.")
            .ProducesCommandProblems();
        payment.MapPost("/refunds", Refund)
            .WithName("RefundPayment")
            .WithSummary("Give back all or part of what was captured.")
            .Accepts<AmountRequest>("application/json")
            .ProducesCommandProblems();
        return app;
    }

    /// <summary>What a payment command can be answered with besides 202: bad input, an unknown payment, a reused key.</summary>
    private static RouteHandlerBuilder ProducesCommandProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Capture(
        string id, HttpRequest request, ClaimsPrincipal user, [FromHeader(Name = ApiProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        PaymentCommandSubmitter submitter, PaymentsDbContext db, CancellationToken cancellationToken) =>
        await SubmitAmount(id, request, Caller.From(user), idempotencyKey, PaymentCommands.Capture, submitter, db,
            (paymentId, key, amount) => new CapturePayment { PaymentId = paymentId, IdempotencyKey = key, Amount = amount }, cancellationToken);

    private static async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Refund(
        string id, HttpRequest request, ClaimsPrincipal user, [FromHeader(Name = ApiProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        PaymentCommandSubmitter submitter, PaymentsDbContext db, CancellationToken cancellationToken) =>
        await SubmitAmount(id, request, Caller.From(user), idempotencyKey, PaymentCommands.Refund, submitter, db,
            (paymentId, key, amount) => new RefundPayment { PaymentId = paymentId, IdempotencyKey = key, Amount = amount }, cancellationToken);

    private static async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Void(
        string id, HttpRequest request, ClaimsPrincipal user, [FromHeader(Name = ApiProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        PaymentCommandSubmitter submitter, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        // No body, or an empty JSON object: a void carries nothing but its key.
        await JsonBody.Read<VoidRequest>(request, errors, () => new VoidRequest(), cancellationToken);
        errors.CheckIdempotencyKey(idempotencyKey);
        if (errors.Any)
            return errors.ToProblem();
        if (!Guid.TryParse(id, out var paymentId))
            return ApiProblems.PaymentNotFound(id);

        var key = idempotencyKey!;
        var scope = IdempotencyScopes.For(PaymentCommands.Void, paymentId);
        var hash = RequestHashes.Of(IdempotencyScopes.Of(PaymentCommands.Void), paymentId.ToString("D"));
        var command = new VoidPayment { PaymentId = paymentId, IdempotencyKey = key };
        if (await FindPayment(db, Caller.From(user), paymentId, cancellationToken) is not { } payment)
            return ApiProblems.PaymentNotFound(id);
        if (await Refusal(db, payment, PaymentCommands.Void, scope, key, cancellationToken) is { } refusal)
            return refusal;
        if (await submitter.Find(scope, key, cancellationToken) is { } first)
            return await submitter.Repeat(first, hash, command, cancellationToken);
        return await submitter.Submit(scope, key, hash, paymentId, payment.MerchantId, command, claimsPaymentId: false, cancellationToken);
    }

    private static async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> SubmitAmount<TCommand>(
        string id, HttpRequest request, Caller caller, string? idempotencyKey, string command, PaymentCommandSubmitter submitter, PaymentsDbContext db,
        Func<Guid, string, decimal, TCommand> create, CancellationToken cancellationToken)
        where TCommand : class
    {
        var errors = new RequestErrors();
        var body = await JsonBody.Read<AmountRequest>(request, errors, () => null, cancellationToken);
        errors.CheckIdempotencyKey(idempotencyKey);
        if (body is not null)
            errors.CheckAmount(body.Amount, currency: null);
        if (errors.Any || body is null)
            return errors.ToProblem();
        if (!Guid.TryParse(id, out var paymentId))
            return ApiProblems.PaymentNotFound(id);

        var key = idempotencyKey!;
        var scope = IdempotencyScopes.For(command, paymentId);
        var hash = RequestHashes.Of(IdempotencyScopes.Of(command), paymentId.ToString("D"), RequestHashes.Amount(body.Amount!.Value));
        var payment = await FindPayment(db, caller, paymentId, cancellationToken);
        if (payment is null)
            return ApiProblems.PaymentNotFound(id);
        if (await Refusal(db, payment, command, scope, key, cancellationToken) is { } refusal)
            return refusal;

        // Decimal places depend on the currency, known once the saga has recorded the payment (it has: not too early).
        errors.CheckAmount(body.Amount, payment.Currency);
        if (errors.Any)
            return errors.ToProblem();
        var message = create(paymentId, key, CommandValidation.Normalise(body.Amount.Value, payment.Currency!));
        if (await submitter.Find(scope, key, cancellationToken) is { } first)
            return await submitter.Repeat(first, hash, message, cancellationToken);
        return await submitter.Submit(scope, key, hash, paymentId, payment.MerchantId, message, claimsPaymentId: false, cancellationToken);
    }

    /// <summary>
    /// What the saga would refuse without a trace the client sees, answered now instead of a 202: a payment whose
    /// acquirer has not answered yet (409 too-early, nothing recorded, so the same request may come again), a key
    /// this payment already used for another command, its authorisation included (409, as the saga shares one key
    /// space per payment), and a new key for a payment whose operation log is full (429 operation-limit).
    /// </summary>
    private static async Task<ProblemHttpResult?> Refusal(
        PaymentsDbContext db, KnownPayment payment, string command, string scope, string key, CancellationToken cancellationToken)
    {
        if (payment.State is null || payment.State == PaymentViews.AcceptedState || payment.State == AuthorisingState)
            return ApiProblems.TooEarly(payment.PaymentId, payment.State ?? PaymentViews.AcceptedState);

        var operation = payment.Operations.Find(o => o.IdempotencyKey == key);
        if (operation is not null && operation.Command != command)
            return ApiProblems.IdempotencyKeyReused(key, operation.Command, payment.PaymentId);
        // A full log takes no new key: refused before anything is recorded or sent (the saga would refuse it too).
        if (operation is null && payment.Operations.Count >= PaymentState.MaxOperations)
            return ApiProblems.OperationLimit(payment.PaymentId);
        var other = await db.IdempotentRequests.AsNoTracking()
            .Where(r => r.PaymentId == payment.PaymentId && r.IdempotencyKey == key && r.Scope != scope && r.Scope != IdempotencyScopes.PaymentIdClaim)
            .FirstOrDefaultAsync(cancellationToken);
        return other is null ? null : ApiProblems.IdempotencyKeyReused(other);
    }

    /// <summary>
    /// The payment as the saga knows it, or as accepted by the API (no state or currency yet); null when it does not
    /// exist or belongs to a merchant the caller does not see (the two are not told apart).
    /// </summary>
    private static async Task<KnownPayment?> FindPayment(PaymentsDbContext db, Caller caller, Guid paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking()
            .Where(p => p.CorrelationId == paymentId)
            .Select(p => new KnownPayment(paymentId, p.CurrentState, p.Currency, p.MerchantId, p.Operations))
            .SingleOrDefaultAsync(cancellationToken)
            ?? (await AcceptedAuthorisations.Find(db, paymentId, cancellationToken) is { } accepted
                ? new KnownPayment(paymentId, null, null, accepted.MerchantId, [])
                : null);
        return payment is not null && caller.Sees(payment.MerchantId) ? payment : null;
    }

    private sealed record KnownPayment(Guid PaymentId, string? State, string? Currency, string? MerchantId, List<PaymentOperation> Operations);
}
