namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// A raw command that cannot become a contract message. MassTransit moves it to the endpoint's <c>_error</c> queue
/// with this message in the <c>MT-Fault-Message</c> header; it is not retried.
/// </summary>
internal sealed class InvalidRawCommandException : Exception
{
    public InvalidRawCommandException()
    {
    }

    public InvalidRawCommandException(string message)
        : base(message)
    {
    }

    public InvalidRawCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws unless every field is present; the message lists the missing ones by their JSON names.</summary>
    public static void ThrowIfMissing(string routingKey, params (string JsonName, bool Present)[] fields)
    {
        var missing = fields.Where(f => !f.Present).Select(f => f.JsonName).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidRawCommandException(
                $"{routingKey}: missing required field{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} "
                + $"(expected camelCase JSON with {string.Join(", ", fields.Select(f => f.JsonName))}).");
        }
    }
}
