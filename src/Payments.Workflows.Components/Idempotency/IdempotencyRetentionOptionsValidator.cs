namespace Payments.Workflows.Components.Idempotency;

/// <summary>Fails start-up naming Payments__Api__IdempotencyRetention when it is not a positive time span.</summary>
internal sealed class IdempotencyRetentionOptionsValidator : IValidateOptions<IdempotencyRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, IdempotencyRetentionOptions options) =>
        options.IdempotencyRetention > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Payments__Api__IdempotencyRetention must be greater than zero (e.g. 7.00:00:00); got {options.IdempotencyRetention}.");
}
