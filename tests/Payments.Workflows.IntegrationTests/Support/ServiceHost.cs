using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components;

namespace Payments.Workflows.IntegrationTests.Support;

/// <summary>
/// The service's components as production runs them (AddPaymentsWorkflows, migrations at start-up) on a real
/// broker and database; several may share one broker and database, as instances of the service do.
/// </summary>
public sealed class ServiceHost : PaymentsDriver
{
    private ServiceHost(IHost host) => Host = host;

    public IHost Host { get; }

    public override IServiceProvider Services => Host.Services;

    /// <param name="configureServices">Test-only replacements, registered before the service's own (which use TryAdd).</param>
    public static async Task<ServiceHost> Start(Uri rabbitMq, string postgres, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        // Classic queues unless a test is about queue types: every vhost would otherwise hold 14 quorum
        // queues (Raft groups), which a 2-core broker shared by the whole test run pays for in latency.
        builder.Configuration.AddInMemoryCollection(TestSettings.For("PostgreSql", postgres)
            .OnRabbitMq(rabbitMq, quorumQueues: false)
            .WarningsOnly()
            .With(settings));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddPaymentsWorkflows(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ServiceHost(host);
    }

    public override async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
    }
}
