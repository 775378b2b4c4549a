using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Workflows.Components;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Tests.Support;

/// <summary>
/// The payment saga and consumers on MassTransit's in-memory test harness, with the real EF repository and
/// ledger on a SQLite file of the test's own.
/// </summary>
public sealed class PaymentsHarness : IAsyncDisposable
{
    private readonly string _folder;

    private PaymentsHarness(ServiceProvider provider, string folder)
    {
        Provider = provider;
        _folder = folder;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public ServiceProvider Provider { get; }

    public ITestHarness Harness { get; }

    public static async Task<PaymentsHarness> Start(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "payments-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var values = new Dictionary<string, string?>
        {
            ["Payments:Database"] = "Sqlite",
            ["ConnectionStrings:Payments"] = $"Data Source={Path.Combine(folder, "payments.db")}",
            ["Payments:Acquirer:Latency"] = "00:00:00",
            ["Payments:Acquirer:RetryBaseDelay"] = "00:00:00.001",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        PaymentsWorkflowsRegistration.AddPaymentsCore(services, configuration);
        services.AddMassTransitTestHarness(x =>
        {
            PaymentsWorkflowsRegistration.ConfigurePaymentsBus(x);
            x.AddConsumer<PaymentEventsSubscriber>();
        });
        var provider = services.BuildServiceProvider(true);

        await TestDatabase.Create(provider);
        var harness = new PaymentsHarness(provider, folder);
        await harness.Harness.Start();
        return harness;
    }

    public Task Send<T>(T message)
        where T : class =>
        Send(message, Guid.NewGuid());

    public async Task Send<T>(T message, Guid messageId)
        where T : class
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(PaymentStateDefinition.Address);
        await endpoint.Send(message, c => c.MessageId = messageId);
    }

    /// <summary>Events of type <typeparamref name="T"/> a subscriber has received so far.</summary>
    public IReadOnlyList<T> Events<T>(Func<T, bool> filter)
        where T : class =>
        Harness.Consumed.Select<T>(x => filter(x.Context.Message)).Select(x => x.Context.Message).ToList();

    /// <summary>Waits until at least <paramref name="count"/> matching events were seen; true when they were.</summary>
    public Task<bool> SawEvents<T>(Func<T, bool> filter, int count = 1, TimeSpan? timeout = null)
        where T : class =>
        Wait.Until(() => Task.FromResult(Events(filter).Count >= count), timeout);

    /// <summary>Reads the payment as stored, or null; a fresh scope each time, so nothing is cached.</summary>
    public async Task<PaymentState?> Payment(Guid paymentId)
    {
        await using var scope = Provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.CorrelationId == paymentId);
    }

    public async Task<PaymentState> WaitForState(Guid paymentId, string state, TimeSpan? timeout = null)
    {
        PaymentState? last = null;
        var found = await Wait.Until(async () =>
        {
            last = await Payment(paymentId);
            return last?.CurrentState == state;
        }, timeout);
        Assert.True(found, $"Payment {paymentId} did not reach {state}; it is {last?.CurrentState ?? "missing"}.");
        return last!;
    }

    public async Task<IReadOnlyList<LedgerTransaction>> Ledger(Guid paymentId)
    {
        await using var scope = Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerQueries>().ForPayment(paymentId, CancellationToken.None);
    }

    public async Task<IReadOnlyList<LedgerEntry>> AllEntries()
    {
        await using var scope = Provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        return await db.LedgerEntries.AsNoTracking().ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
