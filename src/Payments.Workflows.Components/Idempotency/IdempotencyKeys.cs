using Payments.Workflows.Components.Validation;

namespace Payments.Workflows.Components.Idempotency;

public static class IdempotencyKeys
{
    public const int MaximumLength = 255;

    /// <summary>Why <paramref name="key"/> cannot be used as an idempotency key, or null when it can.</summary>
    /// <remarks>The rule is <see cref="CommandValidation.ProblemWithKey"/>, shared by every entry point.</remarks>
    public static string? Problem(string? key) => CommandValidation.ProblemWithKey(key);
}
