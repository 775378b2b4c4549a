using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Payments.Workflows.Service.Ops;

/// <summary>
/// What an error queue's message says about its failure, read from MassTransit's <c>MT-Fault-*</c> headers (or the
/// broker's <c>x-death</c> when the broker dead-lettered it at the delivery limit). Never its body beyond the envelope's
/// messageId and messageType.
/// </summary>
internal sealed record FailedMessage(string? MessageId, string ExceptionType, string MessageType, string? Reason)
{
    public const int ReasonLength = 200;
    public const string FaultHeaderPrefix = "MT-Fault-";
    public const string ReasonHeader = "MT-Reason";
    public const string Unknown = "(unknown)";

    public static FailedMessage Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers;
        var (envelopeId, envelopeType) = Envelope(properties.ContentType, body);
        var exceptionType = Text(headers, "MT-Fault-ExceptionType")
            ?? (DeathReason(headers) is { } death ? $"(dead-lettered by the broker: {death})" : Unknown);
        var messageType = Text(headers, "MT-Fault-MessageType") ?? envelopeType ?? (properties.IsTypePresent() ? properties.Type! : Unknown);
        var reason = Text(headers, "MT-Fault-Message");
        if (reason is { Length: > ReasonLength })
            reason = reason[..ReasonLength];
        var messageId = properties.IsMessageIdPresent() && !string.IsNullOrEmpty(properties.MessageId) ? properties.MessageId : envelopeId;
        return new FailedMessage(messageId, exceptionType, messageType, reason);
    }

    /// <summary>The headers to resend with: the message's own, without what its failure added.</summary>
    public static Dictionary<string, object?>? ResendHeaders(IDictionary<string, object?>? headers) =>
        headers?.Where(h => !h.Key.StartsWith(FaultHeaderPrefix, StringComparison.OrdinalIgnoreCase)
                && !h.Key.Equals(ReasonHeader, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);

    private static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;

    /// <summary>x-first-death-reason (delivery_limit, rejected, expired, maxlen), set by the broker when it dead-letters.</summary>
    private static string? DeathReason(IDictionary<string, object?>? headers) => Text(headers, "x-first-death-reason");

    /// <summary>messageId and the first messageType of a MassTransit envelope; nothing for other bodies.</summary>
    private static (string? MessageId, string? MessageType) Envelope(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (contentType is null || !contentType.StartsWith("application/vnd.masstransit+json", StringComparison.OrdinalIgnoreCase))
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null);
            var id = root.TryGetProperty("messageId", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var type = root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
                && types[0].ValueKind == JsonValueKind.String
                ? types[0].GetString()
                : null;
            return (id, type);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
