using System.Diagnostics;
using System.Net;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// Two service instances on a database and a virtual host of their own on the shared servers, each reached through
/// a <see cref="FaultProxy"/> the test controls: breaking the proxy is an outage for the service and for no one else.
/// </summary>
internal sealed class OutageRig : IAsyncDisposable
{
    private readonly RabbitMqManagementClient _management;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ServiceInstance> _stopped = [];
    private IReadOnlyDictionary<string, string?> _configuration = new Dictionary<string, string?>();

    private OutageRig(FaultProxy database, FaultProxy broker, string virtualHost, RabbitMqManagementClient management, string databaseConnectionString)
    {
        Database = database;
        Broker = broker;
        VirtualHost = virtualHost;
        _management = management;
        DatabaseConnectionString = databaseConnectionString;
    }

    /// <summary>Between the instances and PostgreSQL.</summary>
    public FaultProxy Database { get; }

    /// <summary>Between the instances and RabbitMQ.</summary>
    public FaultProxy Broker { get; }

    public string VirtualHost { get; }

    /// <summary>The rig's database on the shared server, reached directly (not through <see cref="Database"/>): for watching it.</summary>
    public string DatabaseConnectionString { get; }

    /// <summary>The simulated acquirer of every instance the rig has run, the stopped ones included: what the acquirer saw in all.</summary>
    public IEnumerable<SimulatedAcquirer> Acquirers => _stopped.Concat(Instances).Distinct().Select(i => i.Acquirer);

    public IReadOnlyList<ServiceInstance> Instances { get; private set; } = [];

    /// <summary>Time since the rig started, for the log of a scenario.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public static async Task<OutageRig> Start(PostgresServer postgres, RabbitMqServer rabbitMq, string name,
        IDictionary<string, string?>? settings = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateDatabaseAsync(name, ct);
        var vhost = await rabbitMq.CreateVirtualHostAsync(name, ct);
        var rig = new OutageRig(FaultProxy.ForPostgres(database), FaultProxy.ForAmqp(vhost), RabbitMqServer.VirtualHostOf(vhost),
            await rabbitMq.GetManagementClientAsync(ct), database);
        var configuration = TestSettings.For("PostgreSql", rig.Database.Route(database))
            .OnRabbitMq(rig.Broker.Route(vhost), quorumQueues: false)
            .WarningsOnly()
            .With(settings);
        // One after the other: the first applies the migrations, as the first instance of a deployment does.
        var first = ServiceInstance.Start("first", configuration);
        var second = ServiceInstance.Start("second", configuration);
        rig.Instances = [first, second];
        rig._configuration = configuration;
        rig.Log($"started two instances; database proxy :{rig.Database.Port}, broker proxy :{rig.Broker.Port}");
        return rig;
    }

    /// <summary>
    /// Stops instance <paramref name="index"/> as SIGTERM does (the host's graceful stop: consumers under way get their stop
    /// timeout) and starts a replacement with the same configuration in its place. While it is down its clients are sent to
    /// the other instance, as a load balancer does with an instance that stops answering.
    /// </summary>
    public async Task Replace(int index)
    {
        var stopping = Instances[index];
        var other = Instances[(index + 1) % Instances.Count];
        Instances = [.. Instances.Select(i => i == stopping ? other : i)];
        var stop = Stopwatch.StartNew();
        await stopping.DisposeAsync();
        stopping.Http.Dispose();
        _stopped.Add(stopping);
        Log($"{stopping.Name} stopped gracefully in {stop.Elapsed.TotalSeconds:0.0} s");

        var replacement = ServiceInstance.Start($"{stopping.Name}-replacement", _configuration);
        Instances = [.. Instances.Select((instance, i) => i == index ? replacement : instance)];
        Log($"{replacement.Name} started");
    }

    public void Log(string line) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"[{Elapsed.TotalSeconds,6:0.0} s] {line}");

    /// <summary>GET /health/ready on every instance; the status codes, in instance order.</summary>
    public async Task<HttpStatusCode[]> Readiness()
    {
        var codes = new HttpStatusCode[Instances.Count];
        for (var i = 0; i < Instances.Count; i++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(4));
                using var response = await Instances[i].Http.GetAsync("/health/ready", timeout.Token);
                codes[i] = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                codes[i] = 0;
            }
        }

        return codes;
    }

    /// <summary>
    /// Every <c>_error</c> queue of the virtual host that holds a message, as "name: count". The management figures
    /// lag by a few seconds; callers ask once the traffic is over.
    /// </summary>
    public async Task<IReadOnlyList<string>> ErrorQueuesWithMessages() =>
        [.. (await _management.GetQueuesAsync(VirtualHost, TestContext.Current.CancellationToken))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) && q.Messages > 0)
            .Select(q => $"{q.Name}: {q.Messages}")];

    /// <summary>
    /// What every scenario promises once it is over: every payment Captured, no message in an error queue, each
    /// payment's authorisation and capture posted once, and the ledger balanced.
    /// </summary>
    public async Task AssertEveryPaymentCapturedOnce(IReadOnlyList<Guid> payments, TimeSpan timeout)
    {
        var driver = Instances[0].Driver;
        var ids = payments.ToList();
        await Eventually.Matches(_ => StatesOf(ids), states => states.GetValueOrDefault("Captured") == ids.Count,
            $"all {ids.Count} payments to be Captured", timeout,
            states => string.Join(", ", states.Select(s => $"{s.Key}: {s.Value}")), TestContext.Current.CancellationToken);
        Log("every payment is Captured");

        await Eventually.Matches(_ => ErrorQueuesWithMessages(), q => q.Count == 0, "no message in any _error queue",
            TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);

        var transactions = new List<LedgerTransaction>();
        foreach (var id in ids)
        {
            var ledger = await driver.Ledger(id);
            Assert.True(ledger.Count(t => t.Operation == LedgerOperation.Authorise) == 1,
                $"Payment {id} has {ledger.Count(t => t.Operation == LedgerOperation.Authorise)} authorisation postings.");
            Assert.True(ledger.Count(t => t.Operation == LedgerOperation.Capture) == 1,
                $"Payment {id} has {ledger.Count(t => t.Operation == LedgerOperation.Capture)} capture postings.");
            transactions.AddRange(ledger);
        }

        var repeated = transactions.GroupBy(t => (t.PaymentId, t.Operation, t.IdempotencyKey)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"Posted more than once: {string.Join(", ", repeated)}");
        LedgerAssert.Holds(transactions, await driver.AllEntries());

        var calls = ids.Select(id => Acquirers.Sum(a => a.CallsFor(id))).ToList();
        Assert.All(ids, id => Assert.True(Acquirers.Any(a => a.DecisionFor(id) is { Approved: true }), $"The acquirer never approved payment {id}."));
        Log($"acquirer calls per payment: min {calls.Min()}, max {calls.Max()}, total {calls.Sum()} for {ids.Count} payments; " +
            $"payments called more than once: {calls.Count(c => c > 1)}");
    }

    /// <summary>How many of <paramref name="ids"/> are in each state ("(not in the saga)" for those it has not seen).</summary>
    private async Task<Dictionary<string, int>> StatesOf(List<Guid> ids)
    {
        await using var scope = Instances[0].Services.CreateAsyncScope();
        var states = await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Payments.AsNoTracking()
            .Where(p => ids.Contains(p.CorrelationId)).GroupBy(p => p.CurrentState)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(s => s.State, s => s.Count, TestContext.Current.CancellationToken);
        states["(not in the saga)"] = ids.Count - states.Values.Sum();
        return states;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances.Distinct())
        {
            // Restored first so a stopping host is not stuck on a dead link.
            Database.Restore();
            Broker.Restore();
            instance.Http.Dispose();
            await instance.DisposeAsync();
        }

        await Database.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
