using Microsoft.Extensions.Options;

namespace Payments.Workflows.Service.Security;

/// <summary>Fails start-up naming the bad Payments__Api__* setting.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.RateLimit.PermitsPerSecond < 1)
            failures.Add($"Payments__Api__RateLimit__PermitsPerSecond must be at least 1; got {options.RateLimit.PermitsPerSecond}.");
        if (options.RateLimit.Burst < 1)
            failures.Add($"Payments__Api__RateLimit__Burst must be at least 1; got {options.RateLimit.Burst}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
