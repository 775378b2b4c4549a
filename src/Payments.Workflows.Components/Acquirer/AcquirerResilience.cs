using Payments.Workflows.Components.Configuration;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Payments.Workflows.Components.Acquirer;

internal static class AcquirerResilience
{
    public const string PipelineName = "acquirer";

    /// <summary>
    /// Retry (exponential with jitter) around a circuit breaker around a per-attempt timeout: a slow attempt
    /// is cut off and retried; a failing acquirer opens the circuit so calls fail fast instead of piling up.
    /// </summary>
    public static IServiceCollection AddAcquirerResilience(this IServiceCollection services, AcquirerOptions options)
    {
        services.AddResiliencePipeline(PipelineName, builder =>
        {
            if (options.RetryAttempts > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<AcquirerTransientException>().Handle<TimeoutRejectedException>(),
                    MaxRetryAttempts = options.RetryAttempts,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            }

            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AcquirerTransientException>().Handle<TimeoutRejectedException>(),
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
        });
        return services;
    }
}
