namespace Payments.Workflows.Components.RabbitMq;

/// <summary>Fails start-up with a message that names the bad setting, in its environment-variable form.</summary>
internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        var failures = new List<string>();
        if (options.DeliveryLimit < 1)
            failures.Add($"Payments__RabbitMq__DeliveryLimit must be at least 1; got {options.DeliveryLimit}.");
        if (options.PrefetchCount < 1)
            failures.Add($"Payments__RabbitMq__PrefetchCount must be at least 1; got {options.PrefetchCount}.");
        if (options.ConcurrentMessageLimit < 1)
            failures.Add($"Payments__RabbitMq__ConcurrentMessageLimit must be at least 1; got {options.ConcurrentMessageLimit}.");
        else if (options.PrefetchCount < options.ConcurrentMessageLimit)
        {
            failures.Add($"Payments__RabbitMq__PrefetchCount ({options.PrefetchCount}) must be at least "
                + $"Payments__RabbitMq__ConcurrentMessageLimit ({options.ConcurrentMessageLimit}), or consumers sit idle.");
        }

        if (options.SagaConcurrentMessageLimit < 1)
            failures.Add($"Payments__RabbitMq__SagaConcurrentMessageLimit must be at least 1; got {options.SagaConcurrentMessageLimit}.");
        else if (options.SagaPrefetchCount < options.SagaConcurrentMessageLimit)
        {
            failures.Add($"Payments__RabbitMq__SagaPrefetchCount ({options.SagaPrefetchCount}) must be at least "
                + $"Payments__RabbitMq__SagaConcurrentMessageLimit ({options.SagaConcurrentMessageLimit}), or the saga's batches stay small.");
        }

        if (!string.IsNullOrWhiteSpace(options.CaCertificatePath) && !File.Exists(options.CaCertificatePath))
            failures.Add($"Payments__RabbitMq__CaCertificatePath names no file: '{options.CaCertificatePath}'.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
