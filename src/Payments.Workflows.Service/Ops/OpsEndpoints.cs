using System.Globalization;
using System.Xml;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Service.Api;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Service.Ops;

/// <summary>
/// The operations API, for ops keys only: outbox counts, quarantined rows with their last error, release (due again,
/// attempts cleared) and delete of one row, and payments the service has left waiting. docs/operations.md shows each.
/// </summary>
internal static class OpsEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaximumPageSize = 500;
    public const int MaximumStuck = 500;

    private static readonly TimeSpan DefaultOlderThan = TimeSpan.FromMinutes(5);
    private const string OutboxRowNotFoundType = "urn:payments-workflows:problem:outbox-row-not-found";
    private const string NothingToReleaseType = "urn:payments-workflows:problem:outbox-row-not-failing";

    // A payment waits on the service (not on its merchant) while the acquirer is asked, and once its hold has expired.
    private const string Authorising = "Authorising";
    private static readonly string[] HeldStates = ["Authorised", "PartiallyCaptured"];

    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("/ops").WithTags("Operations").RequireAuthorization(ApiKeyRoles.Ops);
        ops.MapGet("/outbox", Counts)
            .WithName("GetOutboxCounts")
            .WithSummary("Pending, scheduled and quarantined outbox rows, the oldest pending row's age, and the inbox marks.");
        ops.MapGet("/outbox/quarantined", Quarantined)
            .WithName("ListQuarantinedOutboxRows")
            .WithSummary("Quarantined outbox rows, oldest first, with the last error of each.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        ops.MapPost("/outbox/{sequenceNumber}/release", Release)
            .WithName("ReleaseOutboxRow")
            .WithSummary("Makes a quarantined (or retrying) row due now with its attempts cleared; the delivery service sends it next.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        ops.MapDelete("/outbox/{sequenceNumber}", Delete)
            .WithName("DeleteOutboxRow")
            .WithSummary("Drops one outbox row: its message is never sent.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        ops.MapGet("/payments/stuck", Stuck)
            .WithName("ListStuckPayments")
            .WithSummary("Payments waiting on the service for longer than olderThan (ISO-8601 duration, PT5M by default).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        ops.MapErrorQueueEndpoints();
        return app;
    }

    private static async Task<Ok<OutboxCounts>> Counts(IOutboxBacklogReader backlog, CancellationToken cancellationToken)
    {
        var b = await backlog.Read(cancellationToken);
        return TypedResults.Ok(new OutboxCounts(b.Pending, b.Scheduled, b.Quarantined, Math.Round(b.OldestPendingAge.TotalSeconds, 3), b.InboxMarks));
    }

    private static async Task<Results<Ok<QuarantinedPage>, ProblemHttpResult>> Quarantined(
        string? page, string? pageSize, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var pageNumber = Positive(errors, "page", page, 1, int.MaxValue);
        var size = Positive(errors, "pageSize", pageSize, DefaultPageSize, MaximumPageSize);
        if (errors.Any)
            return errors.ToProblem();

        var query = db.Set<OutboxMessage>().AsNoTracking().Where(r => r.QuarantinedAt != null);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(r => r.QuarantinedAt).ThenBy(r => r.SequenceNumber)
            .Skip((int)Math.Min((long)(pageNumber - 1) * size, int.MaxValue)).Take(size)
            .Select(r => new { r.SequenceNumber, r.MessageId, r.MessageType, r.DestinationAddress, r.DeliveryAttempts, r.LastError, r.SentTime, r.QuarantinedAt })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new QuarantinedRow(r.SequenceNumber, r.MessageId, r.MessageType.Split(';')[0], r.DestinationAddress,
            r.DeliveryAttempts, r.LastError, PaymentViews.Utc(r.SentTime), PaymentViews.Utc(r.QuarantinedAt!.Value))).ToList();
        return TypedResults.Ok(new QuarantinedPage(items, total, pageNumber, size));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Release(
        string sequenceNumber, PaymentsDbContext db, DeliverySignal signal, TimeProvider timeProvider, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!long.TryParse(sequenceNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return RowNotFound(sequenceNumber);

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var released = await db.Set<OutboxMessage>()
            .Where(r => r.SequenceNumber == number && (r.QuarantinedAt != null || r.DeliveryAttempts > 0))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.QuarantinedAt, (DateTime?)null)
                .SetProperty(r => r.DeliveryAttempts, 0)
                .SetProperty(r => r.LastError, (string?)null)
                .SetProperty(r => r.DueAt, now), cancellationToken);
        if (released == 0)
        {
            if (!await db.Set<OutboxMessage>().AnyAsync(r => r.SequenceNumber == number, cancellationToken))
                return RowNotFound(sequenceNumber);
            // A row that never failed is on its way, or scheduled for later: releasing it would only send it early.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: NothingToReleaseType,
                title: "The outbox row is not quarantined or failing.",
                detail: $"Outbox row {number} has not failed; it is sent when it is due.");
        }

        Logger(loggers).LogWarning("Outbox row #{SequenceNumber} released by an operator: due now, attempts cleared", number);
        signal.Notify();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string sequenceNumber, PaymentsDbContext db, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!long.TryParse(sequenceNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return RowNotFound(sequenceNumber);

        var deleted = await db.Set<OutboxMessage>().Where(r => r.SequenceNumber == number).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
            return RowNotFound(sequenceNumber);

        Logger(loggers).LogWarning("Outbox row #{SequenceNumber} deleted by an operator: its message will not be sent", number);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<StuckPayment>>, ProblemHttpResult>> Stuck(
        string? olderThan, PaymentsDbContext db, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var age = DefaultOlderThan;
        if (olderThan is not null && !TryDuration(olderThan, out age))
        {
            return ApiProblems.Invalid("olderThan",
                $"'{Components.Validation.CommandValidation.Echo(olderThan)}' is not a positive ISO-8601 duration such as PT5M or P1DT2H.");
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var cutoff = now - age;
        var payments = await db.Payments.AsNoTracking()
            .Where(p => (p.CurrentState == Authorising && p.UpdatedAt <= cutoff)
                || (HeldStates.Contains(p.CurrentState) && p.ExpiresAt != null && p.ExpiresAt <= cutoff))
            .Select(p => new { p.CorrelationId, p.MerchantId, p.CurrentState, p.UpdatedAt, p.ExpiresAt })
            .ToListAsync(cancellationToken);

        var stuck = payments
            .Select(p => p.CurrentState == Authorising
                ? new StuckPayment(p.CorrelationId, p.MerchantId, p.CurrentState, PaymentViews.Utc(p.UpdatedAt),
                    Seconds(now - p.UpdatedAt), "the acquirer's answer or the authorisation deadline")
                : new StuckPayment(p.CorrelationId, p.MerchantId, p.CurrentState, PaymentViews.Utc(p.ExpiresAt!.Value),
                    Seconds(now - p.ExpiresAt.Value), "the hold expiry, which is past due"))
            .OrderByDescending(p => p.WaitingSeconds)
            .Take(MaximumStuck)
            .ToList();
        return TypedResults.Ok(stuck);
    }

    /// <summary>An ISO-8601 duration (PT5M, P1D, PT0.5S), longer than zero.</summary>
    private static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!text.StartsWith('P'))
            return false;
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }

        return duration > TimeSpan.Zero;
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);

    private static int Positive(RequestErrors errors, string field, string? value, int fallback, int maximum)
    {
        if (value is null)
            return fallback;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > maximum)
        {
            errors.Add(field, $"{field} must be a whole number from 1 to {maximum}.");
            return fallback;
        }

        return number;
    }

    private static ProblemHttpResult RowNotFound(string sequenceNumber) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, type: OutboxRowNotFoundType, title: "Outbox row not found.",
            detail: $"There is no outbox row '{Components.Validation.CommandValidation.Echo(sequenceNumber)}': it was sent, deleted, or never existed.");

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(OpsEndpoints).FullName!);
}
