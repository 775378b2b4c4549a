using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// The real service host (bus, saga, simulated acquirer, SQLite) in memory, on a database file of its own. The
/// host applies the SQLite migrations at start-up, as it does in production.
/// </summary>
public sealed class PaymentsApiFactory(IReadOnlyDictionary<string, string?>? overrides = null) : WebApplicationFactory<Program>
{
    private readonly TestSqliteFile _database = new("payments-api-tests");
    private TestApiKeys? _keys;

    /// <summary>Keys in this host's database, made on first use.</summary>
    public TestApiKeys Keys => _keys ??= new TestApiKeys(Services);

    /// <summary>A client that sends each request with the key its caller would hold (<see cref="ApiKeyHandler"/>).</summary>
    public HttpClient CreateKeyedClient() => CreateDefaultClient(new ApiKeyHandler(Keys));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = TestSettings.ForSqlite(_database.Path)
            .WarningsOnly()
            .With(new Dictionary<string, string?> { ["Payments:Transport"] = "InMemory", ["Payments:ApplyMigrations"] = "true" })
            .With(overrides);

        // Host settings, not app configuration callbacks: Program reads the configuration while it registers services.
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>One host and database per test class; every test uses merchants and customers of its own.</summary>
public sealed class PaymentsApiFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<object> _events = new();
    private HostReceiveEndpointHandle? _observer;

    public PaymentsApiFactory Factory { get; } = new();

    public PaymentsApiClient Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Api = new PaymentsApiClient(Factory.CreateKeyedClient());

        // Watches what the saga publishes, so a test can wait for a repeated command's answer.
        var bus = Factory.Services.GetRequiredService<IBus>();
        _observer = bus.ConnectReceiveEndpoint($"api-tests-{Guid.NewGuid():N}", e =>
        {
            e.Handler<PaymentAuthorised>(c => Record(c.Message));
            e.Handler<PaymentCaptured>(c => Record(c.Message));
            e.Handler<PaymentVoided>(c => Record(c.Message));
            e.Handler<PaymentRefunded>(c => Record(c.Message));
            e.Handler<PaymentCommandRejected>(c => Record(c.Message));
        });
        await _observer.Ready;
    }

    public async ValueTask DisposeAsync()
    {
        if (_observer is not null)
            await _observer.StopAsync();
        await Factory.DisposeAsync();
    }

    public IEnumerable<T> Published<T>() => _events.OfType<T>();

    public async Task<T> WithDb<T>(Func<PaymentsDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaymentsDbContext>());
    }

    public Task<int> IdempotentRequestCount(string key) =>
        WithDb(db => db.IdempotentRequests.CountAsync(r => r.IdempotencyKey == key));

    private Task Record(object message)
    {
        _events.Enqueue(message);
        return Task.CompletedTask;
    }
}
