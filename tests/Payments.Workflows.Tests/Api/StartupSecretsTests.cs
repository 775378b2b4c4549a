namespace Payments.Workflows.Tests.Api;

/// <summary>
/// A start-up failure over a bad connection string names the setting and shows the value's scheme and host at most:
/// a password may sit anywhere in a mistyped value, and a parser's own message may quote part of it.
/// </summary>
public sealed class StartupSecretsTests : IDisposable
{
    private readonly DirectoryInfo _elsewhere = Directory.CreateTempSubdirectory("payments-startup-secrets-");

    public void Dispose() => _elsewhere.Delete(recursive: true);

    public static TheoryData<string, string, string, string[]> BadConnectionStrings => new()
    {
        // The scheme forgotten: "payments:" parses as the scheme, the password as the path.
        { "RabbitMq", "ConnectionStrings:RabbitMq", "payments:S3cret@rabbit:5672/payments", ["S3cret"] },
        { "RabbitMq", "ConnectionStrings:RabbitMq", "amqp//payments:S3cret@rabbit:5672/payments", ["S3cret"] },
        { "RabbitMq", "ConnectionStrings:RabbitMq", "https://payments:S3cret@rabbit:5672/payments", ["S3cret"] },
        { "RabbitMq", "ConnectionStrings:RabbitMq", "amqp://payments:S3cret@rabbit:port/payments", ["S3cret"] },
        { "PostgreSql", "ConnectionStrings:Payments", "Host=db;Username=payments;Password=S3cret;Port=not-a-port", ["S3cret"] },
        // An unquoted ';' in the password: the client would complain about the keyword "Wv7k".
        { "PostgreSql", "ConnectionStrings:Payments", "Host=db;Username=payments;Password=Zq9x;Wv7k=1", ["Zq9x", "Wv7k"] },
        { "SqlServer", "ConnectionStrings:Payments", "Server=db;User ID=payments;Password=Zq9x;Wv7k=1", ["Zq9x", "Wv7k"] },
        { "SqlServer", "ConnectionStrings:Payments", "Server=db;User ID=payments;Password=S3cret;Encrypt=sometimes", ["S3cret", "sometimes"] },
        { "Sqlite", "ConnectionStrings:Payments", "Data Source=payments.db;Password=Zq9x;Wv7k=1", ["Zq9x", "Wv7k"] },
    };

    [Theory]
    [MemberData(nameof(BadConnectionStrings))]
    public async Task An_invalid_connection_string_fails_start_up_naming_the_setting_without_its_value(
        string provider, string setting, string value, string[] secrets)
    {
        var settings = provider == "RabbitMq"
            ? new Dictionary<string, string?> { ["Payments:Transport"] = "RabbitMq", [setting] = value }
            : new Dictionary<string, string?> { ["Payments:Database"] = provider, [setting] = value };
        await using var factory = new PaymentsApiFactory(settings);

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var text = error.ToString();
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_service_started_with_a_RabbitMQ_URI_missing_its_scheme_prints_no_part_of_the_password()
    {
        await using var service = ServiceProcess.Start(_elsewhere.FullName, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = "http://127.0.0.1:0",
            ["Payments__Transport"] = "RabbitMq",
            ["ConnectionStrings__RabbitMq"] = "payments:S3cret@rabbit:5672/payments",
        });

        var exitCode = await service.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings__RabbitMq", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", service.Output, StringComparison.Ordinal);
    }
}
