using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Contracts;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// POST /payments (authorise; merchant keys, for their own merchant), GET /payments/{id} and GET /payments (a
/// merchant key sees its own merchant's payments; another merchant's payment is not found; ops sees all).
/// </summary>
internal static class PaymentEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaximumPageSize = 500;

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup(PaymentRoutes.Payments).WithTags("Payments");
        payments.MapPost("/", Authorise)
            .WithName("AuthorisePayment")
            .WithSummary("Authorise a card payment; the outcome is followed at the Location.")
            .Accepts<AuthorisePaymentRequest>("application/json")
            .RequireAuthorization(ApiKeyRoles.Merchant)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        payments.MapGet("/{id}", Get)
            .WithName("GetPayment")
            .WithSummary("A payment's state, amounts, rejected commands and ledger postings.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        payments.MapGet("/", List)
            .WithName("ListPayments")
            .WithSummary("Payments, newest first, optionally by state and merchant.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Accepted<PaymentAccepted>, ProblemHttpResult>> Authorise(
        HttpRequest request,
        ClaimsPrincipal user,
        [FromHeader(Name = ApiProblems.IdempotencyKeyHeader)] string? idempotencyKey,
        PaymentCommandSubmitter submitter,
        PaymentsDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        errors.CheckIdempotencyKey(idempotencyKey);
        var body = await JsonBody.Read<AuthorisePaymentRequest>(request, errors, () => null, cancellationToken);
        if (body is not null)
        {
            if (body.PaymentId == Guid.Empty)
                errors.Add("paymentId", "paymentId, when given, must not be the empty GUID.");
            errors.CheckText("merchantId", body.MerchantId, ColumnLengths.ExternalId);
            errors.CheckText("customerId", body.CustomerId, ColumnLengths.ExternalId);
            errors.CheckText("cardToken", body.CardToken, ColumnLengths.CardToken);
            errors.CheckCurrency(body.Currency);
            errors.CheckAmount(body.Amount, body.Currency);
        }

        if (errors.Any || body is null)
            return errors.ToProblem();

        // Before the key is looked at: nothing is recorded or sent for another merchant.
        var merchantId = body.MerchantId!;
        if (!Caller.From(user).Sees(merchantId))
            return ApiProblems.OtherMerchant();

        var key = idempotencyKey!;
        var scope = IdempotencyScopes.AuthoriseFor(merchantId);
        var paymentId = body.PaymentId ?? RequestHashes.PaymentIdFor(merchantId, key);
        // A generated id is left out: it is ours, not part of what the client asked.
        var hash = RequestHashes.Of(IdempotencyScopes.Authorise, body.PaymentId?.ToString("D"), body.MerchantId, body.CustomerId,
            RequestHashes.Amount(body.Amount!.Value), body.Currency, body.CardToken);
        var command = new AuthorisePayment
        {
            PaymentId = paymentId,
            IdempotencyKey = key,
            MerchantId = body.MerchantId!,
            CustomerId = body.CustomerId!,
            Amount = CommandValidation.Normalise(body.Amount.Value, body.Currency!),
            Currency = body.Currency!,
            CardToken = body.CardToken!,
        };

        if (await submitter.Find(scope, key, cancellationToken) is { } first)
            return await submitter.Repeat(first, hash, command, cancellationToken);

        // The id must be new, chosen or derived: the saga would refuse it anyway, but only after we answered 202 with a
        // Location that shows someone else's payment.
        if (await db.Payments.AsNoTracking().AnyAsync(p => p.CorrelationId == paymentId, cancellationToken)
            || await AcceptedAuthorisations.Find(db, paymentId, cancellationToken) is not null)
        {
            // A concurrent request with this key may have committed since we looked: then it is a repeat, not a clash.
            return await submitter.Find(scope, key, cancellationToken) is { } winner
                ? await submitter.Repeat(winner, hash, command, cancellationToken)
                : ApiProblems.PaymentIdTaken(paymentId);
        }

        return await submitter.Submit(scope, key, hash, paymentId, merchantId, command, claimsPaymentId: true, cancellationToken);
    }

    private static async Task<Results<Ok<PaymentDetails>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, PaymentsDbContext db, LedgerQueries ledger, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var paymentId))
            return ApiProblems.PaymentNotFound(id);

        var caller = Caller.From(user);
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.CorrelationId == paymentId, cancellationToken);
        if (payment is not null)
        {
            return caller.Sees(payment.MerchantId)
                ? TypedResults.Ok(PaymentViews.Details(payment, await ledger.ForPayment(paymentId, cancellationToken)))
                : ApiProblems.PaymentNotFound(id);
        }

        // Accepted by the API, not yet seen by the saga: the Location of a 202 answers from the first moment.
        return await AcceptedAuthorisations.Find(db, paymentId, cancellationToken) is { } accepted && caller.Sees(accepted.MerchantId)
            ? TypedResults.Ok(PaymentViews.Accepted(accepted))
            : ApiProblems.PaymentNotFound(id);
    }

    private static async Task<Results<Ok<PaymentPage>, ProblemHttpResult>> List(
        string? state, string? merchantId, string? page, string? pageSize, ClaimsPrincipal user, PaymentStateMachine machine,
        PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var states = StatesOf(machine);
        var stateName = state is null ? null : states.Find(s => s.Equals(state, StringComparison.OrdinalIgnoreCase));
        if (state is not null && stateName is null)
            errors.Add("state", $"'{CommandValidation.Echo(state)}' is not a payment state; use one of {string.Join(", ", states)}.");
        var pageNumber = ParsePositive(errors, "page", page, 1, int.MaxValue);
        var size = ParsePositive(errors, "pageSize", pageSize, DefaultPageSize, MaximumPageSize);
        if (errors.Any)
            return errors.ToProblem();

        var query = db.Payments.AsNoTracking();
        // A merchant key lists its own merchant's payments, whatever merchantId asks for.
        var caller = Caller.From(user);
        if (!caller.IsOps)
            query = query.Where(p => p.MerchantId == caller.MerchantId);
        if (stateName is not null)
            query = query.Where(p => p.CurrentState == stateName);
        if (!string.IsNullOrEmpty(merchantId))
            query = query.Where(p => p.MerchantId == merchantId);

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.CorrelationId)
            .Skip((int)Math.Min((long)(pageNumber - 1) * size, int.MaxValue)).Take(size)
            .Select(p => new PaymentSummary(p.CorrelationId, p.MerchantId, p.CustomerId, p.CurrentState, p.Currency, p.RequestedAmount,
                p.AuthorisedAmount, p.CapturedAmount, p.RefundedAmount, p.CreatedAt, p.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PaymentPage(
            items.Select(i => i with { CreatedAt = PaymentViews.Utc(i.CreatedAt), UpdatedAt = PaymentViews.Utc(i.UpdatedAt) }).ToList(),
            total, pageNumber, size));
    }

    /// <summary>The states a payment can be stored in, in the machine's order: all but Initial and Final, which none is.</summary>
    private static List<string> StatesOf(PaymentStateMachine machine) =>
        machine.States.Where(s => !s.Equals(machine.Initial) && !s.Equals(machine.Final)).Select(s => s.Name).ToList();

    private static int ParsePositive(RequestErrors errors, string field, string? value, int fallback, int maximum)
    {
        if (value is null)
            return fallback;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > maximum)
        {
            errors.Add(field, maximum == int.MaxValue
                ? $"{field} must be a whole number of at least 1; got '{CommandValidation.Echo(value)}'."
                : $"{field} must be a whole number from 1 to {maximum}; got '{CommandValidation.Echo(value)}'.");
            return fallback;
        }

        return number;
    }
}
