using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Validation;
using Payments.Workflows.Service.Api;
using RabbitMQ.Client.Exceptions;

namespace Payments.Workflows.Service.Ops;

/// <summary>
/// The error-queue part of the ops API (RabbitMQ only): list the vhost's <c>_error</c> queues with their messages
/// grouped by fault, replay chosen messages to the queue they failed on, delete chosen messages. A route's queue must
/// be an <c>_error</c> queue of the service's vhost; no other queue is ever read or written. docs/operations.md shows each.
/// </summary>
internal static class ErrorQueueEndpoints
{
    public const int MaximumMessageIds = ErrorQueueClient.BrowseLimit;
    public const int MaximumMessageIdLength = 256;
    public const int MaximumExceptionTypeLength = 1024;

    private const string NoBrokerType = "urn:payments-workflows:problem:no-broker";
    private const string NoManagementType = "urn:payments-workflows:problem:no-management-api";
    private const string ErrorQueueNotFoundType = "urn:payments-workflows:problem:error-queue-not-found";
    private const string NoDestinationType = "urn:payments-workflows:problem:error-queue-destination-missing";
    private const string ResendRefusedType = "urn:payments-workflows:problem:resend-refused";
    private const string BrokerUnavailableType = "urn:payments-workflows:problem:broker-unavailable";

    public static RouteGroupBuilder MapErrorQueueEndpoints(this RouteGroupBuilder ops)
    {
        ops.MapGet("/error-queues", List)
            .WithName("ListErrorQueues")
            .WithSummary("Every _error queue of the service's vhost with its depth, and its first 1000 messages grouped by fault exception type and message type.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        ops.MapPost("/error-queues/{queue}/replay", Replay)
            .WithName("ReplayErrorQueueMessages")
            .WithSummary("Resends the chosen messages (by messageIds or exceptionType) to the queue they failed on; each leaves the error queue once the broker confirmed its resend.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        ops.MapPost("/error-queues/{queue}/delete", Delete)
            .WithName("DeleteErrorQueueMessages")
            .WithSummary("Removes the chosen messages (by messageIds) from the error queue; the rest stay, in order.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return ops;
    }

    private static async Task<Results<Ok<IReadOnlyList<ErrorQueueView>>, ProblemHttpResult>> List(
        IOptions<PaymentsOptions> payments, ErrorQueueClient client, CancellationToken cancellationToken)
    {
        if (NoBroker(payments.Value) is { } noBroker)
            return noBroker;
        if (!client.CanList)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: NoManagementType,
                title: "The RabbitMQ management API is not configured.",
                detail: $"Listing error queues needs {ErrorQueueRegistration.ManagementSetting} (a user with the monitoring tag); "
                    + "replay and delete work without it.");
        }

        try
        {
            return TypedResults.Ok(await client.List(cancellationToken));
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return Unavailable(exception);
        }
    }

    private static async Task<Results<Ok<ErrorQueueReplayed>, ProblemHttpResult>> Replay(
        string queue, HttpRequest request, IOptions<PaymentsOptions> payments, ErrorQueueClient client, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (NoBroker(payments.Value) is { } noBroker)
            return noBroker;
        if (!ErrorQueueClient.IsErrorQueueName(queue))
            return QueueNotFound(queue);

        var errors = new RequestErrors();
        var body = await JsonBody.Read<ErrorQueueReplayRequest>(request, errors, () => null, cancellationToken);
        List<string> ids = [];
        if (body is not null)
        {
            if (body.MessageIds is null && body.ExceptionType is null)
                errors.Add("messageIds", "Give messageIds (a list of MessageIds) or exceptionType (a fault exception type), one of the two.");
            else if (body.MessageIds is not null && body.ExceptionType is not null)
                errors.Add(JsonBody.BodyField, "Give messageIds or exceptionType, not both.");
            else if (body.MessageIds is not null)
                ids = MessageIds(errors, body.MessageIds);
            else if (body.ExceptionType!.Length == 0 || body.ExceptionType.Length > MaximumExceptionTypeLength)
                errors.Add("exceptionType", $"exceptionType must be 1 to {MaximumExceptionTypeLength} characters, as GET /ops/error-queues shows it.");
        }

        if (errors.Any || body is null)
            return errors.ToProblem();

        var chosen = body.ExceptionType is { } exceptionType
            ? (Func<FailedMessage, bool>)(m => m.ExceptionType == exceptionType)
            : m => m.MessageId is not null && ids.Contains(m.MessageId, StringComparer.Ordinal);
        ErrorQueueTaken taken;
        try
        {
            taken = await client.Take(queue, chosen, ids, replay: true, cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return Unavailable(exception);
        }

        var destination = queue[..^ErrorQueueClient.Suffix.Length];
        if (taken.Taken > 0)
        {
            Logger(loggers).LogWarning("{Count} message(s) replayed by an operator from {ErrorQueue} to {Queue}", taken.Taken, queue, destination);
        }

        return taken.Status switch
        {
            ErrorQueueTakeStatus.NoSuchQueue => QueueNotFound(queue),
            ErrorQueueTakeStatus.NoDestination => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: NoDestinationType,
                title: "The queue to replay to does not exist.",
                detail: $"{CommandValidation.Echo(queue)} belongs to {CommandValidation.Echo(destination)}, which this vhost does not have; nothing was replayed."),
            ErrorQueueTakeStatus.ResendRefused => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, type: ResendRefusedType,
                title: "The broker refused a resend.",
                detail: $"{taken.Taken} message(s) were replayed before it; that one and the rest are still in the error queue. {taken.Failure}"),
            _ => TypedResults.Ok(new ErrorQueueReplayed(queue, destination, taken.Taken, taken.NotFound)),
        };
    }

    private static async Task<Results<Ok<ErrorQueueDeleted>, ProblemHttpResult>> Delete(
        string queue, HttpRequest request, IOptions<PaymentsOptions> payments, ErrorQueueClient client, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (NoBroker(payments.Value) is { } noBroker)
            return noBroker;
        if (!ErrorQueueClient.IsErrorQueueName(queue))
            return QueueNotFound(queue);

        var errors = new RequestErrors();
        var body = await JsonBody.Read<ErrorQueueDeleteRequest>(request, errors, () => null, cancellationToken);
        List<string> ids = [];
        if (body is not null)
        {
            if (body.MessageIds is null)
                errors.Add("messageIds", "messageIds (a list of the MessageIds to remove) is required.");
            else
                ids = MessageIds(errors, body.MessageIds);
        }

        if (errors.Any || body is null)
            return errors.ToProblem();

        ErrorQueueTaken taken;
        try
        {
            taken = await client.Take(queue, m => m.MessageId is not null && ids.Contains(m.MessageId, StringComparer.Ordinal), ids, replay: false,
                cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            return Unavailable(exception);
        }

        if (taken.Status == ErrorQueueTakeStatus.NoSuchQueue)
            return QueueNotFound(queue);
        if (taken.Taken > 0)
            Logger(loggers).LogWarning("{Count} message(s) deleted by an operator from {ErrorQueue}", taken.Taken, queue);
        return TypedResults.Ok(new ErrorQueueDeleted(queue, taken.Taken, taken.NotFound));
    }

    /// <summary>1 to <see cref="MaximumMessageIds"/> non-empty MessageIds, each of at most <see cref="MaximumMessageIdLength"/> characters.</summary>
    private static List<string> MessageIds(RequestErrors errors, IReadOnlyList<string?> messageIds)
    {
        if (messageIds.Count == 0 || messageIds.Count > MaximumMessageIds)
            errors.Add("messageIds", $"messageIds must list 1 to {MaximumMessageIds} MessageIds.");
        else if (messageIds.Any(id => string.IsNullOrEmpty(id) || id.Length > MaximumMessageIdLength))
            errors.Add("messageIds", $"Each of messageIds must be a string of 1 to {MaximumMessageIdLength} characters.");
        return messageIds.OfType<string>().ToList();
    }

    private static ProblemHttpResult? NoBroker(PaymentsOptions payments) =>
        payments.TransportKind == TransportKind.RabbitMq
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: NoBrokerType, title: "There is no broker.",
                detail: $"The service runs on the {payments.Transport} transport, which has no error queues to show; they exist on RabbitMQ only.");

    /// <summary>The broker or its management API cannot be reached, or the broker closed the connection: nothing was acked.</summary>
    private static bool IsUnavailable(Exception exception) =>
        exception is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException or HttpRequestException;

    private static ProblemHttpResult Unavailable(Exception exception) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: BrokerUnavailableType,
            title: "The broker could not be reached.",
            // Our own management failure names the setting and the status; other exceptions' text may name hosts, so only their type.
            detail: exception is HttpRequestException { StatusCode: not null }
                ? exception.Message
                : $"{exception.GetType().Name}: try again; messages not acked stay in the error queue where they were.");

    private static ProblemHttpResult QueueNotFound(string queue) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, type: ErrorQueueNotFoundType, title: "Error queue not found.",
            detail: $"'{CommandValidation.Echo(queue)}' is not an _error queue of the service's vhost.");

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ErrorQueueEndpoints).FullName!);
}
