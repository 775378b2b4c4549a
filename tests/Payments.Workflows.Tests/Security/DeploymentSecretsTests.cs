using System.Text.RegularExpressions;

namespace Payments.Workflows.Tests.Security;

/// <summary>
/// Security review, acceptance test 9, as a check of the committed files: the broker users the service and publishers
/// use are not administrators or policy makers, and docker-compose.yml carries no default password, no <c>sa</c> login
/// and no <c>TrustServerCertificate=true</c>.
/// </summary>
public sealed partial class DeploymentSecretsTests
{
    [Theory]
    [InlineData(BrokerDefinitions.ServiceUser)]
    [InlineData(BrokerDefinitions.PublisherUser)]
    [InlineData(BrokerDefinitions.OpsUser)]
    public void No_broker_user_of_the_definitions_is_an_administrator_or_policymaker(string user)
    {
        var tags = BrokerDefinitions.TagsOf(user);

        Assert.NotNull(tags);
        Assert.DoesNotContain("administrator", tags);
        Assert.DoesNotContain("policymaker", tags);
        Assert.DoesNotContain("management", tags);
    }

    [Fact]
    public void The_definitions_create_no_administrator_and_no_guest_and_keep_the_ops_user_to_monitoring()
    {
        var users = BrokerDefinitions.Read().GetProperty("users").EnumerateArray()
            .Select(u => (Name: u.GetProperty("name").GetString(), Tags: string.Join(',', u.GetProperty("tags").EnumerateArray().Select(t => t.GetString()))))
            .ToList();

        Assert.DoesNotContain(users, u => u.Name == "guest" || u.Tags.Contains("administrator", StringComparison.Ordinal));
        Assert.Equal(["monitoring"], BrokerDefinitions.TagsOf(BrokerDefinitions.OpsUser)!);
    }

    [Fact]
    public void The_service_user_has_permissions_on_the_payments_virtual_host_only()
    {
        var permissions = BrokerDefinitions.PermissionsOf(BrokerDefinitions.ServiceUser);

        Assert.Equal(["payments"], permissions.Select(p => p.VirtualHost));
    }

    [Theory]
    [InlineData("payments.commands", true)]
    [InlineData("Payments.Workflows.Contracts:GetPaymentStatus", true)]
    [InlineData("payment-state", false)]
    [InlineData("acquirer-authorisation", false)]
    [InlineData("Payments.Workflows.Components.Acquirer:AcquirerAuthorisationCompleted", false)]
    [InlineData("Payments.Workflows.Contracts:PaymentCaptured", false)]
    [InlineData("x-payments.commands", false)]
    [InlineData("payments.commands-x", false)]
    public void The_publisher_may_write_to_payments_commands_and_the_status_request_only(string exchange, bool allowed)
    {
        var publisher = BrokerDefinitions.PermissionsOf(BrokerDefinitions.PublisherUser).Single();

        // RabbitMQ matches a permission's expression anywhere in the name unless it is anchored, as these are.
        Assert.Equal(allowed, Regex.IsMatch(exchange, publisher.Write));
    }

    [Fact]
    public void The_publisher_may_not_configure_or_read_the_service_exchanges_and_queues()
    {
        var publisher = BrokerDefinitions.PermissionsOf(BrokerDefinitions.PublisherUser).Single();
        string[] serviceNames = ["payments.commands", "payment-state", "acquirer-authorisation", "get-payment-status", "raw-capture-payment",
            "payment-state_error"];

        Assert.DoesNotContain(serviceNames, name => Regex.IsMatch(name, publisher.Configure) || Regex.IsMatch(name, publisher.Read));
    }

    [Fact]
    public void Docker_compose_has_no_literal_password_default_no_sa_login_and_no_TrustServerCertificate()
    {
        // Its settings, without the comments (which name the variables to set).
        var compose = string.Join('\n', File.ReadAllLines(BrokerDefinitions.RepositoryFile("docker-compose.yml"))
            .Where(line => !line.TrimStart().StartsWith('#')));

        Assert.DoesNotContain("User ID=sa", compose, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(TrustServerCertificate(), compose);
        // ${VAR:-default} would run with a password everybody can read here; ${VAR:?message} refuses to start instead.
        Assert.Empty(DefaultedVariable().Matches(compose).Select(m => m.Value));
        Assert.DoesNotMatch(LiteralPassword(), compose);
    }

    [GeneratedRegex(@"TrustServerCertificate\s*=\s*(true|yes)", RegexOptions.IgnoreCase)]
    private static partial Regex TrustServerCertificate();

    [GeneratedRegex(@"\$\{[A-Za-z0-9_]*(PASSWORD|PASS|SECRET|KEY)[A-Za-z0-9_]*:?-[^}]*\}", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultedVariable();

    /// <summary>
    /// A password written into a value: a setting <c>…PASSWORD: something</c>, <c>Password=something</c> in a connection
    /// string, or <c>user:password@</c> in a URI; a <c>${VARIABLE…}</c> in its place is fine.
    /// </summary>
    [GeneratedRegex(@"(^\s*-?\s*[A-Za-z_]*PASSWORD[A-Za-z_]*\s*[:=]\s*[""']?(?!\$\{)[^\s""'$])|(Password=(?!\$\{)[^;""\s]+)|(://[^:/\s@]+:(?!\$\{)[^@\s]+@)",
        RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex LiteralPassword();
}
