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
    public const int DefaultLimit = 50;
    public const int MaximumLimit = 100;

    /// <summary>The parameters of offset paging, refused by name so a client still sending them is not silently given page 1.</summary>
    private static readonly string[] RetiredParameters = ["page", "pageSize"];

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
            .WithSummary("A payment's state, amounts, newest operations and rejections, and ledger postings.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        payments.MapGet("/{id}/operations", ListOperations)
            .WithName("ListPaymentOperations")
            .WithSummary("A payment's operation log, newest first, a page at a time (startingAfter = the last sequence seen).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        payments.MapGet("/", List)
            .WithName("ListPayments")
            .WithSummary("Payments, newest first, a page at a time (startingAfter, limit), by state, merchant, customer and creation time.")
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

    private static async Task<Results<Ok<PaymentOperationPage>, ProblemHttpResult>> ListOperations(
        string id, string? startingAfter, string? limit, ClaimsPrincipal user, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        int? after = startingAfter is null ? null : ParsePositive(errors, "startingAfter", startingAfter, 1, int.MaxValue);
        var size = ParsePositive(errors, "limit", limit, PaymentViews.RecentOperations, MaximumLimit);
        if (errors.Any)
            return errors.ToProblem();
        if (!Guid.TryParse(id, out var paymentId))
            return ApiProblems.PaymentNotFound(id);

        var caller = Caller.From(user);
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.CorrelationId == paymentId, cancellationToken);
        if (payment is not null)
        {
            return caller.Sees(payment.MerchantId)
                ? TypedResults.Ok(PaymentViews.OperationPage(payment, after, size))
                : ApiProblems.PaymentNotFound(id);
        }

        // Accepted, not yet recorded by the saga: no operation logged yet.
        return await AcceptedAuthorisations.Find(db, paymentId, cancellationToken) is { } accepted && caller.Sees(accepted.MerchantId)
            ? TypedResults.Ok(new PaymentOperationPage([], false))
            : ApiProblems.PaymentNotFound(id);
    }

    /// <summary>
    /// Keyset paging, newest first: (CreatedAt descending, PaymentId ascending) is a total order, so a page seeks past
    /// the cursor's row instead of skipping an offset, and one row more than asked says whether there are more. No COUNT.
    /// </summary>
    private static async Task<Results<Ok<PaymentPage>, ProblemHttpResult>> List(
        HttpRequest request, string? state, string? merchantId, string? customerId, string? createdFrom, string? createdTo, string? startingAfter,
        string? limit, ClaimsPrincipal user, PaymentStateMachine machine, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        foreach (var retired in RetiredParameters.Where(request.Query.ContainsKey))
            errors.Add(retired, $"{retired} is no longer supported: pages are read with startingAfter (the previous page's nextStartingAfter) and limit.");
        var states = StatesOf(machine);
        var stateName = state is null ? null : states.Find(s => s.Equals(state, StringComparison.OrdinalIgnoreCase));
        if (state is not null && stateName is null)
            errors.Add("state", $"'{CommandValidation.Echo(state)}' is not a payment state; use one of {string.Join(", ", states)}.");
        var size = ParsePositive(errors, "limit", limit, DefaultLimit, MaximumLimit);
        var from = ParseTime(errors, "createdFrom", createdFrom);
        var to = ParseTime(errors, "createdTo", createdTo);
        if (from is not null && to is not null && from > to)
            errors.Add("createdFrom", "createdFrom must not be later than createdTo.");
        PaymentCursor? cursor = null;
        if (startingAfter is not null)
        {
            if (PaymentCursor.TryDecode(startingAfter, out var decoded))
                cursor = decoded;
            else
                errors.Add("startingAfter", $"'{CommandValidation.Echo(startingAfter)}' is not a cursor of this list; use a page's nextStartingAfter.");
        }

        if (errors.Any)
            return errors.ToProblem();

        var query = db.Payments.AsNoTracking();
        // A merchant key lists its own merchant's payments, whatever merchantId asks for.
        var caller = Caller.From(user);
        if (!caller.IsOps)
            query = query.Where(p => p.MerchantId == caller.MerchantId);
        if (!string.IsNullOrEmpty(merchantId))
            query = query.Where(p => p.MerchantId == merchantId);
        if (!string.IsNullOrEmpty(customerId))
            query = query.Where(p => p.CustomerId == customerId);
        if (stateName is not null)
            query = query.Where(p => p.CurrentState == stateName);
        if (from is { } fromTime)
            query = query.Where(p => p.CreatedAt >= fromTime);
        if (to is { } toTime)
            query = query.Where(p => p.CreatedAt < toTime);
        if (cursor is { } after)
        {
            var (afterTime, afterId) = (after.CreatedAt, after.PaymentId);
            query = query.Where(p => p.CreatedAt < afterTime || (p.CreatedAt == afterTime && p.CorrelationId.CompareTo(afterId) > 0));
        }

        var rows = await query
            .OrderByDescending(p => p.CreatedAt).ThenBy(p => p.CorrelationId)
            .Take(size + 1)
            .Select(p => new PaymentSummary(p.CorrelationId, p.MerchantId, p.CustomerId, p.CurrentState, p.Currency, p.RequestedAmount,
                p.AuthorisedAmount, p.CapturedAmount, p.RefundedAmount, p.CreatedAt, p.UpdatedAt))
            .ToListAsync(cancellationToken);
        var items = rows.Take(size)
            .Select(i => i with { CreatedAt = PaymentViews.Utc(i.CreatedAt), UpdatedAt = PaymentViews.Utc(i.UpdatedAt) })
            .ToList();
        var hasMore = rows.Count > size;
        return TypedResults.Ok(new PaymentPage(items, hasMore, hasMore ? new PaymentCursor(items[^1].CreatedAt, items[^1].PaymentId).Encode() : null));
    }

    /// <summary>The states a payment can be stored in, in the machine's order: all but Initial and Final, which none is.</summary>
    private static List<string> StatesOf(PaymentStateMachine machine) =>
        machine.States.Where(s => !s.Equals(machine.Initial) && !s.Equals(machine.Final)).Select(s => s.Name).ToList();

    /// <summary>An ISO-8601 time with an offset or Z (a time without one is taken as UTC), as UTC.</summary>
    private static DateTime? ParseTime(RequestErrors errors, string field, string? value)
    {
        if (value is null)
            return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
            return time.UtcDateTime;
        errors.Add(field, $"{field} must be an ISO-8601 date and time such as 2026-12-01T00:00:00Z; got '{CommandValidation.Echo(value)}'.");
        return null;
    }

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
