namespace Payments.Workflows.Components.RawCommands;

/// <summary>
/// A raw command that cannot become a contract message: a required field is missing, or has another JSON type than
/// its own (read as missing by <see cref="LenientJsonConverter"/>). <see cref="RawCommandConsumer{TRaw, TCommand}"/>
/// answers it with <c>PaymentCommandRejected</c> (invalid-command) naming <see cref="Fields"/>.
/// </summary>
internal sealed class InvalidRawCommandException : Exception
{
    public InvalidRawCommandException()
    {
    }

    private InvalidRawCommandException(string message, IReadOnlyList<string> fields)
        : base(message)
    {
        Fields = fields;
    }

    /// <summary>The missing or mistyped fields, by their JSON names.</summary>
    public IReadOnlyList<string> Fields { get; } = [];

    public InvalidRawCommandException(string message)
        : base(message)
    {
    }

    public InvalidRawCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws unless every field is present with its type; the message lists the others by their JSON names.</summary>
    public static void ThrowIfMissing(string routingKey, params (string JsonName, bool Present)[] fields)
    {
        var missing = fields.Where(f => !f.Present).Select(f => f.JsonName).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidRawCommandException(
                $"{routingKey}: missing or mistyped required field{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} "
                + $"(expected camelCase JSON with {string.Join(", ", fields.Select(f => f.JsonName))}).", missing);
        }
    }
}
