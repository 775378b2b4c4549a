using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Workflows.Components.Idempotency;

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
                : $"Payment '{paymentId}' does not exist: payment ids are GUIDs.");

    public static ProblemHttpResult AccountNotFound(string accountId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            type: AccountNotFoundType,
            title: "Ledger account not found.",
            detail: $"Ledger account '{accountId}' has no entries.");

    public static ProblemHttpResult IdempotencyKeyReused(IdempotentRequest first) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: IdempotencyKeyReusedType,
            title: "Idempotency key already used with a different request.",
            detail: $"The {IdempotencyKeyHeader} '{first.IdempotencyKey}' was already used for a different {Describe(first.Scope)} "
                + $"of payment {first.PaymentId}. Send the same request again, or use a new key.");

    public static ProblemHttpResult PaymentIdTaken(Guid paymentId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            type: PaymentIdTakenType,
            title: "Payment id already in use.",
            detail: $"Payment {paymentId} was authorised under another {IdempotencyKeyHeader}; paymentId must be new.");

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
