using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Reads a JSON request body by hand rather than by parameter binding, so malformed JSON becomes a problem
/// response naming the field (from the reader's JSON path) instead of a bare 400.
/// </summary>
internal static class JsonBody
{
    public const string BodyField = "body";

    /// <summary>The body, or null with the problem recorded in <paramref name="errors"/>; an empty body gives <paramref name="whenEmpty"/>.</summary>
    public static async Task<T?> Read<T>(HttpRequest request, RequestErrors errors, Func<T?> whenEmpty, CancellationToken cancellationToken)
        where T : class
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            request.EnableBuffering();
            if (await IsEmpty(request, cancellationToken))
                return whenEmpty() ?? Missing<T>(errors);
            return await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken) ?? Missing<T>(errors);
        }
        catch (JsonException e) when (e.InnerException is JsonException)
        {
            // The reader's own error: the text is not JSON at all (truncated, a stray character).
            errors.Add(BodyField, $"The request body is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).");
            return null;
        }
        catch (JsonException e)
        {
            // Valid JSON, wrong shape: a value of the wrong type, or not an object.
            var field = FieldOf(e.Path);
            errors.Add(field, field == BodyField
                ? "The request body must be a JSON object."
                : $"The value of {field} is not valid: expected {Expected(field)}.");
            return null;
        }
    }

    private static async Task<bool> IsEmpty(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
            return true;
        var buffer = new byte[1];
        var read = await request.Body.ReadAsync(buffer, cancellationToken);
        request.Body.Position = 0;
        return read == 0;
    }

    private static T? Missing<T>(RequestErrors errors)
        where T : class
    {
        errors.Add(BodyField, "A JSON object is required as the request body.");
        return null;
    }

    // "$.amount" -> "amount"; "$" or nothing -> the body as a whole.
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? BodyField
        : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..]
        : path;

    private static string Expected(string field) =>
        field.Equals("amount", StringComparison.OrdinalIgnoreCase) ? "a JSON number such as 60.00"
        : field.Equals("paymentId", StringComparison.OrdinalIgnoreCase) ? "a GUID string"
        : "a JSON string";
}
