namespace Payments.Workflows.Components.Idempotency;

public static class IdempotencyKeys
{
    public const int MaximumLength = 255;

    /// <summary>Why <paramref name="key"/> cannot be used as an idempotency key, or null when it can.</summary>
    public static string? Problem(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "An idempotency key is required."
        : key.Length > MaximumLength ? $"An idempotency key has at most {MaximumLength} characters; got {key.Length}."
        : null;
}
