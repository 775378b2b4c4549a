using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Payments.Workflows.Components.Acquirer;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// One instance of the real service (HTTP API, bus, saga, simulated acquirer) hosted in memory over TestServer,
/// with the configuration it is given: several share a database and a virtual host as scaled-out instances do.
/// </summary>
internal sealed class ServiceInstance : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ServiceInstance(string name, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        _settings = settings;
    }

    public string Name { get; }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>API keys in the instance's database (shared by the instances of a rig).</summary>
    public TestApiKeys Keys { get; private set; } = null!;

    /// <summary>
    /// This instance's simulated acquirer, for its switches and its call counts; kept at start, so its counts can still be
    /// read once the instance has stopped.
    /// </summary>
    public SimulatedAcquirer Acquirer { get; private set; } = null!;

    /// <summary>The service's database and ledger as this instance reads them.</summary>
    public IPaymentsDriver Driver { get; private set; } = null!;

    /// <summary>Builds and starts the instance (migrations at start-up, bus started) and opens its HTTP client.</summary>
    public static ServiceInstance Start(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var instance = new ServiceInstance(name, settings);
        instance.Keys = new TestApiKeys(instance.Services);
        instance.Http = instance.CreateDefaultClient(new ApiKeyHandler(instance.Keys));
        instance.Http.Timeout = TimeSpan.FromSeconds(15);
        instance.Driver = new ContainerDriver(instance.Services);
        instance.Acquirer = (SimulatedAcquirer)instance.Services.GetRequiredService<IAcquirer>();
        return instance;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Host settings, not app configuration callbacks: Program reads the configuration while it registers services.
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
    }

    private sealed class ContainerDriver(IServiceProvider services) : PaymentsDriver
    {
        public override IServiceProvider Services => services;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
