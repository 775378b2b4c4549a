using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Workflows.Components;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Contracts;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Benchmarks.PaymentLifecycle;

/// <summary>
/// Workload 2: payments through the service as production wires it (<c>AddPaymentsWorkflows</c>, migrations at
/// start-up, saga, acquirer with zero latency and no faults, ledger, inbox/outbox), first at maximum rate (closed
/// loop), then at a fixed offered rate of half that maximum (open loop) for latency under load.
/// </summary>
public sealed class PaymentLifecycleWorkload(BenchmarkOptions options, BenchmarkServers servers)
{
    private const string ProbeQueue = "bench-payment-events";

    public async Task<PaymentLifecycleResult> Run(CancellationToken cancellationToken)
    {
        var connectionString = await servers.CreateDatabase("payments", cancellationToken);
        var virtualHost = await servers.CreateVirtualHost("payments", cancellationToken);
        var counter = new DbActivityCounter();
        using var retries = new RetryLog();
        using var host = BuildHost(connectionString, virtualHost, counter, retries);
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var driver = new PaymentDriver(await bus.GetSendEndpoint(PaymentStateDefinition.Address));
            var receives = new ReceiveCounter(ProbeQueue);
            using var observer = bus.ConnectReceiveObserver(receives);
            var probe = host.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(ProbeQueue, (_, e) =>
            {
                e.PrefetchCount = 256;
                e.Handler<PaymentAuthorised>(c => driver.OnAuthorised(c.Message, c.CancellationToken));
                e.Handler<PaymentDeclined>(c =>
                {
                    driver.OnDeclined(c.Message);
                    return Task.CompletedTask;
                });
                e.Handler<PaymentCaptured>(c => driver.OnCaptured(c.Message, c.CancellationToken));
                e.Handler<PaymentRefunded>(c =>
                {
                    driver.OnRefunded(c.Message);
                    return Task.CompletedTask;
                });
                e.Handler<PaymentCommandRejected>(c =>
                {
                    driver.OnRejected(c.Message);
                    return Task.CompletedTask;
                });
            });
            await probe.Ready.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

            // The service's receive endpoints as configured (prefetch, concurrency, filters): the settings the figures belong to.
            var busProbe = JsonSerializer.Serialize<object>(host.Services.GetRequiredService<IBusControl>().GetProbeResult(cancellationToken),
                new JsonSerializerOptions { WriteIndented = true });
            await File.WriteAllTextAsync(Path.ChangeExtension(options.ReportPath, ".bus-probe.json"), busProbe, cancellationToken);
            var endpointSettings = string.Join(", ", new[] { "prefetchCount", "concurrentMessageLimit" }.Select(key =>
                $"{key} {string.Join("/", Regex.Matches(busProbe, $"\"{key}\":\\s*(\\d+)").Select(m => m.Groups[1].Value).Distinct())}"));

            Console.WriteLine("  warm-up");
            await driver.ClosedLoop(Math.Min(200, options.Payments / 10), options.InFlight, cancellationToken);

            Console.WriteLine($"  maximum rate from {DateTime.UtcNow:HH:mm:ss} UTC ({options.InFlight} payments in flight)");
            var maxRate = await Measure(connectionString, counter, receives, retries, options.Payments,
                () => driver.ClosedLoop(options.Payments, options.InFlight, cancellationToken), null);

            var offered = Math.Max(1, Math.Round(maxRate.PaymentsPerSecond / 2, 1));
            var halfLoadPayments = (int)Math.Min(options.Payments, Math.Max(20, Math.Ceiling(offered * options.HalfLoadSecondsOrDefault)));
            Console.WriteLine($"  half load from {DateTime.UtcNow:HH:mm:ss} UTC ({offered} payments/s offered, {halfLoadPayments} payments)");
            var halfLoad = await Measure(connectionString, counter, receives, retries, halfLoadPayments,
                () => driver.OpenLoop(halfLoadPayments, offered, cancellationToken), offered);

            var invariants = await Check(connectionString, driver, cancellationToken);
            return new PaymentLifecycleResult(maxRate.PaymentsPerSecond, maxRate, halfLoad, endpointSettings, invariants);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private async Task<PaymentPhaseResult> Measure(string connectionString, DbActivityCounter counter, ReceiveCounter receives, RetryLog retries,
        int payments,
        Func<Task<PaymentDriver.Phase>> run, double? offered)
    {
        var activityBefore = counter.Snapshot();
        var statementsBefore = counter.Statements();
        var receivedBefore = receives.Received;
        var retriesBefore = retries.Retries;
        await using var sampler = ResourceSampler.Start(ct => DatabaseSample(connectionString, ct));
        var phase = await run();
        var seconds = phase.Seconds;
        var activity = counter.Snapshot() - activityBefore;
        var received = receives.Received - receivedBefore;
        var resources = await sampler.Stop();
        var command = phase.CommandLatency.Summary();
        return new PaymentPhaseResult(
            payments,
            Math.Round(seconds, 2),
            Math.Round(payments / seconds, 1),
            offered,
            command.P99Ms,
            command,
            phase.PaymentLatency.Summary(),
            received,
            Math.Round(received / seconds, 1),
            Math.Round(activity.Transactions / (double)received, 2),
            Math.Round(activity.Commands / (double)received, 2),
            retries.Retries - retriesBefore,
            counter.StatementsPerMessage(statementsBefore, received),
            resources,
            phase.CommandLatency.OverTime());
    }

    private async Task<IReadOnlyList<InvariantCheck>> Check(string connectionString, PaymentDriver driver,
        CancellationToken cancellationToken)
    {
        var checks = new List<InvariantCheck>();
        await using var db = NewContext(connectionString);

        // Duplicates sent last may still be in flight; the outbox empties of immediate rows once all are handled.
        await Progress.Until(async ct => !await db.Set<OutboxMessage>().AnyAsync(x => x.ScheduledTime == null, ct),
            TimeSpan.FromSeconds(60), cancellationToken);

        var runs = driver.Payments.ToDictionary(r => r.PaymentId);
        var states = await db.Payments.AsNoTracking().Select(p => new { p.CorrelationId, p.CurrentState }).ToListAsync(cancellationToken);
        checks.Add(InvariantCheck.Equal("one saga per payment", runs.Count, states.Count));
        checks.Add(InvariantCheck.Equal("every payment in its planned terminal state", 0,
            states.Count(s => !runs.TryGetValue(s.CorrelationId, out var run) || run.Plan.Outcome.ToString() != s.CurrentState)));

        var transactions = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).ToListAsync(cancellationToken);
        checks.Add(InvariantCheck.Equal("every ledger transaction balances per currency and status", 0, transactions.Count(t =>
            t.Entries.Count < 2 || t.Entries.GroupBy(e => (e.Currency, e.Status)).Any(g => g.Sum(e => e.Debit) != g.Sum(e => e.Credit)))));
        var entries = transactions.SelectMany(t => t.Entries).ToList();
        checks.Add(InvariantCheck.Equal("all accounts sum to zero per currency", 0,
            entries.GroupBy(e => e.Currency).Count(g => g.Sum(e => e.Debit - e.Credit) != 0)));
        var postings = transactions.ToLookup(t => t.PaymentId);
        checks.Add(InvariantCheck.Equal("exactly one posting per operation", 0, runs.Values.Count(r =>
            !postings[r.PaymentId].Select(t => t.Operation.ToString()).Order().SequenceEqual(r.Plan.ExpectedPostings.Order()))));
        checks.Add(InvariantCheck.Equal("no posting for an unknown payment", 0, postings.Count(g => !runs.ContainsKey(g.Key))));

        checks.Add(InvariantCheck.Equal("no outbox rows left to send", 0,
            await db.Set<OutboxMessage>().CountAsync(x => x.ScheduledTime == null, cancellationToken)));
        checks.Add(InvariantCheck.Equal("scheduled rows are exactly the pending hold expiries of authorised payments",
            runs.Values.Count(r => r.Plan.Outcome == PaymentOutcome.Authorised),
            await db.Set<OutboxMessage>().CountAsync(x => x.ScheduledTime != null, cancellationToken)));
        checks.Add(InvariantCheck.Equal("no command rejected", 0, driver.Rejections.Count));
        checks.Add(InvariantCheck.Equal("no event for an unknown payment", 0L, driver.UnknownEvents));
        foreach (var rejection in driver.Rejections.Take(5))
            Console.Error.WriteLine($"    rejected: {rejection}");
        return checks;
    }

    private IHost BuildHost(string connectionString, Uri? virtualHost, DbActivityCounter counter, RetryLog retries)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(retries);
        var settings = TestSettings.For(options.Database.ToString(), connectionString)
            .With(new Dictionary<string, string?> { ["Payments:Acquirer:TransientFaultRate"] = "0" });
        builder.Configuration.AddInMemoryCollection(virtualHost is null
            ? settings.With(new Dictionary<string, string?> { ["Payments:Transport"] = "InMemory" })
            : settings.OnRabbitMq(virtualHost, quorumQueues: options.Queues == BenchmarkQueues.Quorum));
        builder.Configuration.AddEnvironmentVariables(ServiceSettingOverrides.Prefix);
        builder.Services.AddPaymentsWorkflows(builder.Configuration);
        if (options.Database == BenchmarkDatabase.PostgreSql)
            builder.Services.ConfigureDbContext<PostgreSqlPaymentsDbContext>(o => o.AddInterceptors(counter));
        else
            builder.Services.ConfigureDbContext<SqlitePaymentsDbContext>(o => o.AddInterceptors(counter));
        return builder.Build();
    }

    /// <summary>A context outside the service's DI, so the benchmark's own queries are not counted as the service's.</summary>
    private PaymentsDbContext NewContext(string connectionString)
    {
        if (options.Database == BenchmarkDatabase.PostgreSql)
        {
            var builder = new DbContextOptionsBuilder<PostgreSqlPaymentsDbContext>();
            PaymentsDatabase.ConfigurePostgreSql(builder, connectionString);
            return new PostgreSqlPaymentsDbContext(builder.Options);
        }

        var sqlite = new DbContextOptionsBuilder<SqlitePaymentsDbContext>();
        PaymentsDatabase.ConfigureSqlite(sqlite, PaymentsDatabase.PrepareSqlite(connectionString));
        return new SqlitePaymentsDbContext(sqlite.Options);
    }

    // Every unscheduled row is due within the hand-off delay or the delivery back-off (minutes at most); the holds'
    // expiries, one a payment, are due days ahead (PaymentsOptions.HoldDuration).
    private static readonly TimeSpan BacklogHorizon = TimeSpan.FromHours(1);

    private async Task<DatabaseSample> DatabaseSample(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = NewContext(connectionString);
        // Bounded by due time so PostgreSQL reads the (DueAt, SequenceNumber) index over the backlog alone. Counting
        // by ScheduledTime alone scanned the whole table, a row for every authorised payment's expiry, and took
        // 230-580 ms a second at the start of the half-load run of an N = 20000 run, on the service's database.
        var horizon = DateTime.UtcNow + BacklogHorizon;
        var rows = await db.Set<OutboxMessage>().LongCountAsync(x => x.DueAt < horizon && x.ScheduledTime == null, cancellationToken);
        return new DatabaseSample(rows, await ServerCheckpoints.Begun(db, cancellationToken));
    }
}

public sealed record PaymentLifecycleResult(
    double PaymentsPerSecond,
    PaymentPhaseResult MaxRate,
    PaymentPhaseResult HalfLoad,
    string ServiceEndpointSettings,
    IReadOnlyList<InvariantCheck> Invariants);

/// <summary>One lifecycle run. <see cref="P99Ms"/> is the command latency's p99 (a command to its outcome event).</summary>
public sealed record PaymentPhaseResult(
    long Payments,
    double Seconds,
    double PaymentsPerSecond,
    double? OfferedPaymentsPerSecond,
    double P99Ms,
    LatencySummary CommandLatency,
    LatencySummary PaymentLatency,
    long MessagesConsumed,
    double MessagesConsumedPerSecond,
    double DbTransactionsPerMessage,
    double DbCommandsPerMessage,
    long MessageRetries,
    IReadOnlyDictionary<string, double> StatementsPerMessage,
    ResourceUsage Resources,
    IReadOnlyList<LatencyWindow> CommandLatencyOverTime);
