using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Payments.Workflows.Components.Validation;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Reads a JSON request body by hand rather than by parameter binding, strictly: <c>Content-Type: application/json</c>
/// or 415; at most <see cref="MaximumBytes"/> or 413, refused before more than that is read; then one JSON object
/// whose members are the request type's own (exactly as named, each once) and nested no deeper than
/// <see cref="MaximumDepth"/>, or 400 naming what is wrong. A reader upstream (gateway, logger) therefore never sees
/// another request than the service does.
/// </summary>
internal static class JsonBody
{
    public const string BodyField = "body";

    /// <summary>16 KB: an authorisation is a few hundred bytes.</summary>
    public const int MaximumBytes = 16 * 1024;

    /// <summary>Objects and arrays inside one another, the body itself counted.</summary>
    public const int MaximumDepth = 8;

    /// <summary>How many unknown members one answer names.</summary>
    private const int MaximumNamedMembers = 3;

    /// <summary>
    /// The body, or null with the problem recorded in <paramref name="errors"/> (a 415 or 413 as its refusal); an empty
    /// body gives <paramref name="whenEmpty"/>.
    /// </summary>
    public static async Task<T?> Read<T>(HttpRequest request, RequestErrors errors, Func<T?> whenEmpty, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            errors.Refuse(ApiProblems.UnsupportedMediaType());
            return null;
        }

        if (request.ContentLength > MaximumBytes)
        {
            errors.Refuse(ApiProblems.TooLarge(MaximumBytes));
            return null;
        }

        var bytes = await ReadLimited(request, cancellationToken);
        if (bytes is null)
        {
            errors.Refuse(ApiProblems.TooLarge(MaximumBytes));
            return null;
        }

        if (bytes.Length == 0)
            return whenEmpty() ?? Missing<T>(errors);

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (!CheckShape(bytes, options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal), errors))
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options) ?? Missing<T>(errors);
        }
        catch (JsonException e)
        {
            // Valid JSON (checked above), wrong shape: a value of the wrong type, or not an object.
            var field = FieldOf(e.Path);
            errors.Add(field, field == BodyField
                ? "The request body must be a JSON object."
                : $"The value of {field} is not valid: expected {Expected(field)}.");
            return null;
        }
    }

    /// <summary>application/json, with no charset or UTF-8 (the only one JSON allows).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!mediaType.Charset.HasValue || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>The whole body, or null as soon as it is longer than <see cref="MaximumBytes"/> (chunked, or a false length).</summary>
    private static async Task<byte[]?> ReadLimited(HttpRequest request, CancellationToken cancellationToken)
    {
        // Kestrel then refuses to read past the limit itself; the loop below is the check on every server.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaximumBytes;

        var buffer = new byte[MaximumBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                length += read;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return length > MaximumBytes ? null : buffer[..length];
    }

    /// <summary>Valid JSON, nested no deeper than allowed, with the top object's members known and each given once.</summary>
    private static bool CheckShape(byte[] bytes, HashSet<string> members, RequestErrors errors)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaximumBytes });
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaximumDepth:
                        errors.Add(BodyField, $"The request body nests objects and arrays deeper than {MaximumDepth} levels.");
                        return false;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        var name = reader.GetString()!;
                        if (!seen.Add(name))
                        {
                            errors.Add(CommandValidation.Echo(name), $"The member '{CommandValidation.Echo(name)}' appears more than once.");
                            return false;
                        }

                        if (!members.Contains(name))
                            unknown.Add(name);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // The reader's own error: the text is not JSON at all (truncated, a stray character).
            errors.Add(BodyField, $"The request body is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}).");
            return false;
        }

        foreach (var name in unknown.Take(MaximumNamedMembers))
        {
            errors.Add(CommandValidation.Echo(name), $"'{CommandValidation.Echo(name)}' is not a member of this request; "
                + $"it has {(members.Count == 0 ? "none" : string.Join(", ", members.Order(StringComparer.Ordinal)))}.");
        }

        if (unknown.Count > MaximumNamedMembers)
            errors.Add(BodyField, $"{unknown.Count - MaximumNamedMembers} more unknown members.");
        return unknown.Count == 0;
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
        : path.StartsWith("$.", StringComparison.Ordinal) ? CommandValidation.Echo(path[2..])
        : CommandValidation.Echo(path);

    private static string Expected(string field) =>
        field.Equals("amount", StringComparison.OrdinalIgnoreCase) ? "a JSON number such as 60.00"
        : field.Equals("paymentId", StringComparison.OrdinalIgnoreCase) ? "a GUID string"
        : "a JSON string";
}
