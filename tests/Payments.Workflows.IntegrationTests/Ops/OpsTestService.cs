using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Payments.Workflows.IntegrationTests.Ops;

/// <summary>
/// The service as the ops tests run it: on RabbitMQ and PostgreSQL, reading the management API as a monitoring user
/// with no permissions on its vhost (as <c>payments-ops</c> is in infra/rabbitmq/definitions.json), with a
/// <see cref="FaultSwitch"/> on one endpoint.
/// </summary>
internal static class OpsTestService
{
    /// <summary>Creates the monitoring user; returns its name (to delete afterwards) and the management URL to give the service.</summary>
    public static async Task<(string User, Uri ManagementUri)> CreateMonitoringUser(RabbitMqManagementClient management, string virtualHost,
        CancellationToken cancellationToken)
    {
        var user = $"{virtualHost}-monitor";
        var password = Guid.NewGuid().ToString("N");
        await management.CreateUserAsync(user, password, "monitoring", cancellationToken);
        await management.SetPermissionsAsync(virtualHost, user, "^$", "^$", "^$", cancellationToken);
        var managementUri = new UriBuilder(management.BaseAddress)
        {
            UserName = Uri.EscapeDataString(user),
            Password = password,
            Path = management.BaseAddress.AbsolutePath[..^"api/".Length],
        }.Uri;
        return (user, managementUri);
    }

    public static WebApplicationFactory<Program> Create(string database, Uri virtualHostUri, Uri managementUri, FaultSwitch fault)
    {
        var settings = TestSettings.For("PostgreSql", database).OnRabbitMq(virtualHostUri, quorumQueues: false).WarningsOnly()
            .With(new Dictionary<string, string?>
            {
                ["Payments:ApplyMigrations"] = "true",
                ["ConnectionStrings:RabbitMqManagement"] = managementUri.ToString(),
            });
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureServices(s => s.AddSingleton<IConfigureReceiveEndpoint>(fault));
        });
    }

    /// <summary>GET /ops/error-queues until <paramref name="queue"/> shows <paramref name="depth"/> messages read; the whole answer.</summary>
    public static Task<List<JsonElement>> WaitForDepth(HttpClient ops, string queue, int depth, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.Matches(async ct =>
            {
                using var response = await ops.GetAsync("/ops/error-queues", ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray().ToList();
            },
            queues => queues.Any(q => q.GetProperty("queue").GetString() == queue && q.GetProperty("depth").GetInt64() == depth
                && q.GetProperty("browsed").GetInt32() == depth),
            $"{queue} to hold {depth} message(s)", timeout, cancellationToken: cancellationToken);
}

/// <summary>Fails every message on one endpoint while <see cref="On"/>, as a rule missing from a deployment would.</summary>
internal sealed class FaultSwitch(string endpoint) : IConfigureReceiveEndpoint
{
    private volatile bool _on;

    public bool On
    {
        get => _on;
        set => _on = value;
    }

    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        if (name == endpoint)
        {
            configurator.UseExecute<ConsumeContext>(_ =>
            {
                if (_on)
                    throw new RuleNotDeployedException();
            });
        }
    }
}

internal sealed class RuleNotDeployedException() : Exception(Text)
{
    public const string Text = "The rule this command needs is not deployed yet.";
}

/// <summary>The service's database, read as the other integration tests read it.</summary>
internal sealed class ServiceDriver(WebApplicationFactory<Program> service) : PaymentsDriver
{
    public override IServiceProvider Services => service.Services;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
