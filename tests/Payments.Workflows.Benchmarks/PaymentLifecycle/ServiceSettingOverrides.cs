namespace Payments.Workflows.Benchmarks.PaymentLifecycle;

/// <summary>
/// Service settings a run may change for an A/B comparison on one build, as environment variables with the prefix
/// <see cref="Prefix"/>: <c>PAYMENTS_BENCH_Payments__Messaging__SagaBatchLimit=1</c> runs the lifecycle with batched saga
/// execution off. The report names every override.
/// </summary>
internal static class ServiceSettingOverrides
{
    public const string Prefix = "PAYMENTS_BENCH_";

    public static string Describe()
    {
        var overrides = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal)}={Environment.GetEnvironmentVariable(k)}")
            .ToList();
        const string defaults = "AddPaymentsWorkflows defaults (endpoint concurrency, retry, inbox/outbox options)";
        return overrides.Count == 0 ? defaults : $"{defaults}, except {string.Join(", ", overrides)}";
    }
}
