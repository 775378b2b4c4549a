using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.IntegrationTests.Fixtures;

namespace Payments.Workflows.IntegrationTests.Support;

/// <summary>
/// The service's components as production runs them (AddPaymentsWorkflows, migrations at start-up) on a real
/// broker and database; several may share one broker and database, as instances of the service do.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private ServiceHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    /// <param name="configureServices">Test-only replacements, registered before the service's own (which use TryAdd).</param>
    public static async Task<ServiceHost> Start(Uri rabbitMq, string postgres, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var values = new Dictionary<string, string?>
        {
            ["Payments:Transport"] = "RabbitMq",
            ["ConnectionStrings:RabbitMq"] = rabbitMq.ToString(),
            ["Payments:Database"] = "PostgreSql",
            ["ConnectionStrings:Payments"] = postgres,
            ["Payments:Acquirer:Latency"] = "00:00:00",
            ["Payments:Acquirer:RetryBaseDelay"] = "00:00:00.001",
            // Classic queues unless a test is about queue types: every vhost would otherwise hold 14 quorum
            // queues (Raft groups), which a 2-core broker shared by the whole test run pays for in latency.
            ["Payments:RabbitMq:QuorumQueues"] = "false",
            // Warnings and errors only: the console of a test run is shared by every host it starts.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddPaymentsWorkflows(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ServiceHost(host);
    }

    /// <summary>Sends to the saga's queue; returns once the broker has confirmed the message.</summary>
    /// <param name="cancellationToken">Defaults to the test's.</param>
    public async Task Send<T>(T message, Guid? messageId = null, CancellationToken cancellationToken = default)
        where T : class
    {
        if (!cancellationToken.CanBeCanceled)
            cancellationToken = TestContext.Current.CancellationToken;
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(PaymentStateDefinition.Address);
        await endpoint.Send(message, c => c.MessageId = messageId ?? NewId.NextGuid(), cancellationToken);
    }

    public async Task<PaymentState?> Payment(Guid paymentId, CancellationToken cancellationToken = default)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Payments.AsNoTracking()
            .SingleOrDefaultAsync(p => p.CorrelationId == paymentId, cancellationToken);
    }

    public async Task<PaymentState> WaitForState(Guid paymentId, string state, TimeSpan? timeout = null)
    {
        await Eventually.MatchesAsync(async ct => (await Payment(paymentId, ct))?.CurrentState ?? "(no payment)", s => s == state,
            timeout ?? TimeSpan.FromSeconds(60), $"payment {paymentId} to reach {state}", TestContext.Current.CancellationToken);
        return (await Payment(paymentId))!;
    }

    public async Task<IReadOnlyList<LedgerTransaction>> Ledger(Guid paymentId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerQueries>().ForPayment(paymentId, TestContext.Current.CancellationToken);
    }

    public async Task<List<LedgerEntry>> AllEntries()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().LedgerEntries.AsNoTracking()
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<int> Count<T>(Func<IQueryable<T>, IQueryable<T>>? filter = null)
        where T : class
    {
        await using var scope = Services.CreateAsyncScope();
        var set = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Set<T>().AsNoTracking();
        return await (filter?.Invoke(set) ?? set).CountAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        Host.Dispose();
    }
}
