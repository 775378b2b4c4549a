using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Security;

/// <summary>
/// Security review, acceptance test 10: in Production, start-up refuses a database connection with TLS disabled and a
/// plain amqp:// broker, naming the setting and the opt-in, and never echoing a password.
/// </summary>
public sealed class InsecureTransportTests
{
    private const string Secret = "S3cret";

    [Theory]
    [InlineData("PostgreSql", "Host=db.internal;Username=payments;Password=S3cret;SSL Mode=Disable", "SSL Mode=Disable")]
    [InlineData("PostgreSql", "Host=db.internal;Username=payments;Password=S3cret;SSL Mode=Allow", "SSL Mode=Allow")]
    [InlineData("SqlServer", "Server=db.internal,1433;User ID=payments;Password=S3cret;Encrypt=False", "Encrypt=False")]
    [InlineData("SqlServer", "Server=db.internal,1433;User ID=payments;Password=S3cret;TrustServerCertificate=true", "TrustServerCertificate=true")]
    public void In_Production_a_database_connection_without_verified_TLS_fails_naming_the_setting_and_the_host_but_not_the_password(
        string database, string connectionString, string reason)
    {
        var result = Check("Production", new() { ["Payments:Database"] = database, ["ConnectionStrings:Payments"] = connectionString });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings__Payments", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(reason, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("db.internal", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Payments__AllowInsecureTransport", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void In_Production_a_plain_amqp_broker_fails_naming_the_setting_by_scheme_and_host_only()
    {
        var result = Check("Production", new()
        {
            ["Payments:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = "amqp://payments:S3cret@rabbit.internal:5672/payments",
        });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings__RabbitMq is amqp://rabbit.internal without TLS", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Payments__AllowInsecureTransport", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("payments:", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PostgreSql", "Host=db.internal;Username=payments;Password=S3cret;SSL Mode=VerifyFull")]
    [InlineData("PostgreSql", "Host=db.internal;Username=payments;Password=S3cret")]
    [InlineData("SqlServer", "Server=db.internal,1433;User ID=payments;Password=S3cret")]
    [InlineData("Sqlite", "Data Source=payments.db")]
    public void In_Production_a_database_connection_with_TLS_or_a_local_file_passes(string database, string connectionString)
    {
        var result = Check("Production", new()
        {
            ["Payments:Database"] = database,
            ["ConnectionStrings:Payments"] = connectionString,
            ["Payments:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = "amqps://payments:S3cret@rabbit.internal:5671/payments",
        });

        Assert.False(result.Failed, result.FailureMessage);
    }

    [Theory]
    [InlineData("Production", "true")]
    [InlineData("Development", null)]
    [InlineData("Staging", null)]
    public void Plain_connections_pass_when_allowed_or_outside_Production(string environment, string? allow)
    {
        var result = Check(environment, new()
        {
            ["Payments:Database"] = "PostgreSql",
            ["ConnectionStrings:Payments"] = "Host=db.internal;Password=S3cret;SSL Mode=Disable",
            ["Payments:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = "amqp://payments:S3cret@rabbit.internal:5672/payments",
            ["Payments:AllowInsecureTransport"] = allow,
        });

        Assert.False(result.Failed, result.FailureMessage);
    }

    [Fact]
    public async Task In_Production_the_service_does_not_start_on_a_database_connection_with_TLS_disabled()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Payments:AllowInMemoryTransport"] = "true",
            ["Payments:Database"] = "PostgreSql",
            ["ConnectionStrings:Payments"] = "Host=db.internal;Username=payments;Password=S3cret;SSL Mode=Disable",
            // The test settings allow plain loopback servers; this test is about the default.
            ["Payments:AllowInsecureTransport"] = "false",
        });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var validation = Assert.IsType<OptionsValidationException>(Innermost<OptionsValidationException>(error));
        Assert.Contains("Payments__AllowInsecureTransport", validation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Check(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(PaymentsOptions.SectionName).Get<PaymentsOptions>() ?? new PaymentsOptions();
        return new InsecureTransportCheck(configuration, new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);
    }

    private static T? Innermost<T>(Exception error)
        where T : Exception
    {
        T? found = null;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
                found = match;
        }

        return found;
    }
}
