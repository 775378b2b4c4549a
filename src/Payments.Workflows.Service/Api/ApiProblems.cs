using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Validation;

namespace Payments.Workflows.Service.Api;

/// <summary>The API's RFC 7807 answers. Each names what was wrong: the field, the payment, the key.</summary>
internal static class ApiProblems
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const string BadRequestType = "https://tools.ietf.org/html/rfc9110#section-15.5.1";
    private const string PaymentNotFoundType = "urn:payments-workflows:problem:payment-not-found";
    private const string AccountNotFoundType = "urn:payments-workflows:problem:account-not-found";
    private const string IdempotencyKeyReusedType = "urn:payments-workflows:problem:idempotency-key-reused";
    private const string PaymentIdTakenType = "urn:payments-workflows:problem:payment-id-taken";
    private const string OtherMerchantType = "urn:payments-workflows:problem:other-merchant";
    private const string TooEarlyType = "urn:payments-workflows:problem:too-early";
    private const string OperationLimitType = "urn:payments-workflows:problem:operation-limit";
    private const string UnsupportedMediaTypeType = "https://tools.ietf.org/html/rfc9110#section-15.5.16";
    private const string TooLargeType = "https://tools.ietf.org/html/rfc9110#section-15.5.14";

    /// <summary>400 with <c>errors</c> keyed by field, and the same in <c>detail</c> for readers of one line.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = BadRequestType,
            Title = "The request is invalid.",
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        });

    public static ProblemHttpResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult PaymentNotFound(string paymentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            type: PaymentNotFoundType,
            title: "Payment not found.",
            detail: Guid.TryParse(paymentId, out _)
                ? $"Payment {paymentId} does not exist."
                : $"Payment '{CommandValidation.Echo(paymentId)}' does not exist: payment ids are GUIDs.");

    public static ProblemHttpResult AccountNotFound(string accountId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            type: AccountNotFoundType,
            title: "Ledger account not found.",
            detail: $"Ledger account '{CommandValidation.Echo(accountId)}' has no entries.");

    public static ProblemHttpResult IdempotencyKeyReused(IdempotentRequest first) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: IdempotencyKeyReusedType,
            title: "Idempotency key already used with a different request.",
            detail: $"The {IdempotencyKeyHeader} '{CommandValidation.Echo(first.IdempotencyKey)}' was already used for a different {Describe(first.Scope)} "
                + $"of payment {first.PaymentId}. Send the same request again, or use a new key.");

    /// <summary>409: a key the payment's saga logged for another command (sent over AMQP, so the API holds no record of it).</summary>
    public static ProblemHttpResult IdempotencyKeyReused(string key, string command, Guid paymentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: IdempotencyKeyReusedType,
            title: "Idempotency key already used with a different request.",
            detail: $"The {IdempotencyKeyHeader} '{CommandValidation.Echo(key)}' was already used for a different {Describe(IdempotencyScopes.Of(command))} "
                + $"of payment {paymentId}. Send the same request again, or use a new key.");

    public static ProblemHttpResult PaymentIdTaken(Guid paymentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: PaymentIdTakenType,
            title: "Payment id already in use.",
            detail: $"Payment {paymentId} was authorised under another {IdempotencyKeyHeader}; paymentId must be new.");

    /// <summary>
    /// 409: a capture, void or refund while the acquirer has not answered the authorisation (Accepted or Authorising).
    /// Nothing is recorded under the key: the same request may be sent again once the payment is authorised.
    /// </summary>
    public static ProblemHttpResult TooEarly(Guid paymentId, string state) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: TooEarlyType,
            title: "The payment is not authorised yet.",
            detail: $"Payment {paymentId} is {state}: the acquirer has not answered yet. Send the request again once it is Authorised.");

    /// <summary>
    /// 429: the payment's operation log is full (<see cref="PaymentState.MaxOperations"/>); it takes no new command,
    /// now or later, and nothing is recorded or sent. A repeat of a logged key is still answered.
    /// </summary>
    public static ProblemHttpResult OperationLimit(Guid paymentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            type: OperationLimitType,
            title: "The payment takes no more operations.",
            detail: $"Payment {paymentId} has {PaymentState.MaxOperations} operations, the most one payment keeps; it takes no new commands.");

    /// <summary>415: every POST body is application/json, even an empty one.</summary>
    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            type: UnsupportedMediaTypeType,
            title: "Unsupported media type.",
            detail: "Send the request with Content-Type: application/json (UTF-8).");

    /// <summary>413: a body longer than the API reads.</summary>
    public static ProblemHttpResult TooLarge(int maximumBytes) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status413PayloadTooLarge,
            type: TooLargeType,
            title: "The request body is too large.",
            detail: $"A request body has at most {maximumBytes} bytes.");

    /// <summary>403: a merchant key asked to authorise a payment for another merchant.</summary>
    public static ProblemHttpResult OtherMerchant() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            type: OtherMerchantType,
            title: "This key belongs to another merchant.",
            detail: "A merchant key authorises payments for its own merchantId only.");

    // "capture:{id}" -> "capture"; "authorise" -> "authorisation".
    private static string Describe(string scope) => scope.Split(':')[0] is var command && command == IdempotencyScopes.Authorise
        ? "authorisation"
        : command;
}
