using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Payments.Workflows.Components.Configuration;

/// <summary>Fails start-up with a message that names the bad setting, in its environment-variable form.</summary>
/// <param name="environment">
/// The host's environment, for rules that apply in Production only; absent when the options are checked while
/// services are still being registered (the host then checks again as it starts).
/// </param>
internal sealed class PaymentsOptionsValidator(IConfiguration configuration, IHostEnvironment? environment = null) : IValidateOptions<PaymentsOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        var failures = new List<string>();
        if (!Enum.TryParse<TransportKind>(options.Transport, ignoreCase: true, out var transport) || !Enum.IsDefined(transport))
            failures.Add($"Payments__Transport must be InMemory or RabbitMq; got '{options.Transport}'.");
        else if (transport == TransportKind.RabbitMq && !IsAmqpUri(configuration.GetConnectionString("RabbitMq")))
            failures.Add("ConnectionStrings__RabbitMq must be an amqp:// or amqps:// URI when Payments__Transport is RabbitMq; "
                + $"got {ConnectionStringReport.DescribeUri(configuration.GetConnectionString("RabbitMq"))}.");
        else if (transport == TransportKind.InMemory && environment?.IsProduction() == true && !options.AllowInMemoryTransport)
            failures.Add("Payments__Transport is InMemory in the Production environment: its queues are lost when the process stops. "
                + "Set Payments__Transport=RabbitMq, or Payments__AllowInMemoryTransport=true to accept the loss.");

        if (!Enum.TryParse<DatabaseProvider>(options.Database, ignoreCase: true, out var database) || !Enum.IsDefined(database))
            failures.Add($"Payments__Database must be Sqlite, PostgreSql or SqlServer; got '{options.Database}'.");
        else if (database != DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Payments")))
            failures.Add($"ConnectionStrings__Payments is required when Payments__Database is {database}.");
        else if (configuration.GetConnectionString("Payments") is { Length: > 0 } connectionString && !ConnectionStringReport.IsValid(database, connectionString))
            failures.Add($"ConnectionStrings__Payments is not a valid {database} connection string (not shown: it may hold a password).");

        if (options.HoldDuration <= TimeSpan.Zero)
            failures.Add($"Payments__HoldDuration must be positive; got '{options.HoldDuration}'.");
        if (options.Acquirer.TransientFaultRate is < 0 or > 1)
            failures.Add($"Payments__Acquirer__TransientFaultRate must be between 0 and 1; got {options.Acquirer.TransientFaultRate}.");
        if (options.Acquirer.Latency < TimeSpan.Zero)
            failures.Add($"Payments__Acquirer__Latency must not be negative; got '{options.Acquirer.Latency}'.");
        if (options.Acquirer.AttemptTimeout <= TimeSpan.Zero)
            failures.Add($"Payments__Acquirer__AttemptTimeout must be positive; got '{options.Acquirer.AttemptTimeout}'.");
        if (options.Acquirer.RetryAttempts < 0)
            failures.Add($"Payments__Acquirer__RetryAttempts must not be negative; got {options.Acquirer.RetryAttempts}.");
        if (options.Acquirer.ConcurrentMessageLimit < 1)
            failures.Add($"Payments__Acquirer__ConcurrentMessageLimit must be at least 1; got {options.Acquirer.ConcurrentMessageLimit}.");

        // Polly's own bounds, checked here so a bad value fails start-up with the setting's name.
        if (options.Acquirer.CircuitBreakerFailureRatio is < 0 or > 1)
            failures.Add($"Payments__Acquirer__CircuitBreakerFailureRatio must be between 0 and 1; got {options.Acquirer.CircuitBreakerFailureRatio}.");
        if (options.Acquirer.CircuitBreakerMinimumThroughput < 2)
            failures.Add($"Payments__Acquirer__CircuitBreakerMinimumThroughput must be at least 2; got {options.Acquirer.CircuitBreakerMinimumThroughput}.");
        if (!IsCircuitBreakerDuration(options.Acquirer.CircuitBreakerSamplingDuration))
            failures.Add($"Payments__Acquirer__CircuitBreakerSamplingDuration must be from 0.5 seconds to 1 day; got '{options.Acquirer.CircuitBreakerSamplingDuration}'.");
        if (!IsCircuitBreakerDuration(options.Acquirer.CircuitBreakerBreakDuration))
            failures.Add($"Payments__Acquirer__CircuitBreakerBreakDuration must be from 0.5 seconds to 1 day; got '{options.Acquirer.CircuitBreakerBreakDuration}'.");

        if (options.Retry.Intervals is { Length: 0 })
            failures.Add("Payments__Retry__Intervals must hold at least one interval when set.");
        else if (options.Retry.Intervals is { } intervals && intervals.Any(i => i < TimeSpan.Zero))
            failures.Add($"Payments__Retry__Intervals must not be negative; got '{string.Join(", ", intervals)}'.");
        if (options.Retry.OutageMinInterval <= TimeSpan.Zero || options.Retry.OutageMaxInterval < options.Retry.OutageMinInterval)
        {
            failures.Add("Payments__Retry__OutageMinInterval must be positive and at most Payments__Retry__OutageMaxInterval; got "
                + $"{options.Retry.OutageMinInterval} and {options.Retry.OutageMaxInterval}.");
        }

        if (options.Retry.OutageHoldLimit < options.Retry.OutageMinInterval)
            failures.Add($"Payments__Retry__OutageHoldLimit must be at least Payments__Retry__OutageMinInterval; got {options.Retry.OutageHoldLimit}.");
        if (options.Acquirer.AuthorisationDeadline <= TimeSpan.Zero)
            failures.Add($"Payments__Acquirer__AuthorisationDeadline must be positive; got {options.Acquirer.AuthorisationDeadline}.");

        if (options.Health.StuckAfter <= TimeSpan.Zero)
            failures.Add($"Payments__Health__StuckAfter must be positive; got '{options.Health.StuckAfter}'.");
        if (options.Health.DatabaseTimeout <= TimeSpan.Zero || options.Health.DatabaseTimeout > TimeSpan.FromSeconds(30))
            failures.Add($"Payments__Health__DatabaseTimeout must be from 0 to 30 seconds; got '{options.Health.DatabaseTimeout}'.");
        if (options.Health.RetryAfter < TimeSpan.FromSeconds(1))
            failures.Add($"Payments__Health__RetryAfter must be at least one second; got '{options.Health.RetryAfter}'.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsCircuitBreakerDuration(TimeSpan value) => value >= TimeSpan.FromMilliseconds(500) && value <= TimeSpan.FromDays(1);

    private static bool IsAmqpUri(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "rabbitmq" or "rabbitmqs";
}
