namespace Payments.Workflows.Components.Idempotency;

/// <summary>Registers the retention setting (validated at start-up) and the cleanup that applies it.</summary>
public static class IdempotencyCleanupRegistration
{
    /// <summary>For hosts that keep idempotency records: the HTTP API.</summary>
    public static IServiceCollection AddIdempotencyCleanup(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyRetentionOptions>().BindConfiguration(IdempotencyRetentionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdempotencyRetentionOptions>, IdempotencyRetentionOptionsValidator>();
        services.AddSingleton<IdempotentRequestCleanupService>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotentRequestCleanupService>());
        return services;
    }
}
