using Payments.Workflows.Components.Identifiers;

namespace Payments.Workflows.Components.RawCommands;

internal static class RawMessageIds
{
    /// <summary>
    /// The MessageId of a raw command published without a GUID <c>message_id</c>: a name-based id (RFC 9562
    /// version 8 layout over SHA-256) of the command, payment and idempotency key, so the same command published
    /// twice has one id and the inbox applies it once.
    /// </summary>
    public static Guid For(string routingKey, Guid paymentId, string idempotencyKey)
        => NameBasedGuid.From($"payments-raw-command/v1|{routingKey}|{paymentId:N}|{idempotencyKey}");

    /// <summary>The MessageId of an incomplete raw command without a GUID <c>message_id</c>: a name-based id of its bytes.</summary>
    public static Guid ForBody(string routingKey, byte[] body)
        => NameBasedGuid.From($"payments-raw-command-body/v1|{routingKey}|{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body))}");
}
