using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Workflows.Messaging.Configuration;

namespace Payments.Workflows.Benchmarks.LedgerPosting;

public enum LedgerMode
{
    /// <summary>Our EF inbox/outbox on the endpoint (AddEfInboxOutbox), as the service runs.</summary>
    EffectivelyOnce,

    /// <summary>The same consumer without inbox/outbox: its own transaction, business dedupe on the unique key only.</summary>
    AtLeastOnce,

    /// <summary>MassTransit alone: the same message in and event out, no database.</summary>
    NoDatabase,
}

/// <summary>
/// Workload 1: N <see cref="PostLedgerEntry"/> messages, 5% of them sent a second time with the same MessageId
/// right after the first, each applied in one transaction and publishing one event. The load generator keeps a
/// fixed number of postings in flight (closed loop) and measures from the first send to the first arrival of the
/// posting's event at the probe endpoint.
/// </summary>
public sealed class LedgerPostingWorkload(BenchmarkOptions options, BenchmarkServers servers)
{
    public const double DuplicateShare = 0.05;
    private const string ConsumerQueue = "post-ledger-entry";
    private const string ProbeQueue = "bench-ledger-entry-posted";
    private const int Producers = 8;

    /// <summary>Batches of a batched run wait at most this long to fill.</summary>
    public static readonly TimeSpan BatchTimeLimit = TimeSpan.FromMilliseconds(10);

    /// <summary>Batches consumed at once on the endpoint in a batched run.</summary>
    public const int BatchConcurrency = 4;

    /// <summary>
    /// One run. <paramref name="batched"/> swaps the one-message consumer for the batch consumer doing the same work
    /// (<see cref="PostLedgerEntriesConsumer"/>): one transaction, one INSERT and, under the inbox/outbox, one inbox
    /// statement and one outbox insert per batch.
    /// </summary>
    public async Task<LedgerRunResult> Run(LedgerMode mode, bool batched, CancellationToken cancellationToken)
    {
        var name = mode.ToString().ToLowerInvariant() + (batched ? "_batch" : "");
        var connectionString = mode == LedgerMode.NoDatabase ? null : await servers.CreateDatabase("ledger_" + name, cancellationToken);
        if (connectionString is not null)
            await CreateSchema(connectionString, cancellationToken);

        var counter = new DbActivityCounter();
        var probe = new LedgerProbe();
        using var retries = new RetryLog();
        using var host = BuildHost(mode, batched, connectionString, await servers.CreateVirtualHost(name, cancellationToken), counter, probe, retries);
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var receives = new ReceiveCounter(ProbeQueue);
            using var observer = bus.ConnectReceiveObserver(receives);
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{ConsumerQueue}"));

            var warmUp = Math.Min(500, options.Payments / 10);
            var sent = await Drive(endpoint, probe, warmUp, cancellationToken);

            var activityBefore = counter.Snapshot();
            var statementsBefore = counter.Statements();
            var receivedBefore = receives.Received;
            var retriesBefore = retries.Retries;
            await using var sampler = ResourceSampler.Start(connectionString is null ? null : ct => DatabaseSample(connectionString, ct));
            var started = Stopwatch.GetTimestamp();
            var phase = new LedgerProbe.Phase(options.Payments, options.InFlight);
            var measuredSent = await Drive(endpoint, probe, options.Payments, cancellationToken, phase);
            var seconds = Stopwatch.GetElapsedTime(started, phase.LastCompletedAt).TotalSeconds;
            sent += measuredSent;

            // Duplicates sent last may still be in the queue: the run ends when every delivery was received.
            await Progress.Until(_ => Task.FromResult(receives.Received >= sent), TimeSpan.FromSeconds(60), cancellationToken);
            var received = receives.Received - receivedBefore;
            var activity = counter.Snapshot() - activityBefore;
            var resources = await sampler.Stop();

            var invariants = await Check(mode, connectionString, probe, receives.Received, sent, cancellationToken);
            return new LedgerRunResult(
                options.Payments,
                received,
                Math.Round(seconds, 2),
                Math.Round(options.Payments / seconds, 1),
                phase.Latency.Summary(),
                connectionString is null ? null : Math.Round(activity.Transactions / (double)received, 2),
                connectionString is null ? null : Math.Round(activity.Commands / (double)received, 2),
                retries.Retries - retriesBefore,
                connectionString is null ? null : counter.StatementsPerMessage(statementsBefore, received),
                resources,
                invariants);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Sends <paramref name="count"/> postings (plus duplicates) and waits until each one's event arrived; returns the deliveries sent.</summary>
    private async Task<long> Drive(ISendEndpoint endpoint, LedgerProbe probe, int count, CancellationToken cancellationToken,
        LedgerProbe.Phase? phase = null)
    {
        phase ??= new LedgerProbe.Phase(count, options.InFlight);
        if (count == 0)
            return 0;
        var next = -1;
        long sent = 0;

        async Task Producer()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await phase.Window.WaitAsync(cancellationToken);
                var key = NewId.NextGuid();
                var messageId = NewId.NextGuid();
                var message = new PostLedgerEntry
                {
                    PostingKey = key,
                    DebitAccount = $"customer-{i % 1000}",
                    CreditAccount = $"merchant-{i % 50}",
                    Amount = 10.00m + i % 990,
                    Currency = "EUR",
                };
                probe.Sent(key, phase);
                await endpoint.Send(message, c => c.MessageId = messageId, cancellationToken);
                Interlocked.Increment(ref sent);
                if (IsDuplicate(i))
                {
                    await endpoint.Send(message, c => c.MessageId = messageId, cancellationToken);
                    Interlocked.Increment(ref sent);
                }
            }
        }

        var producers = Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Run(Producer, cancellationToken)));
        await Progress.Wait(Task.WhenAll(producers, phase.Done), () => phase.CompletedCount, count, "postings", cancellationToken);
        return Interlocked.Read(ref sent);
    }

    /// <summary>One in twenty (5%), spread evenly.</summary>
    private static bool IsDuplicate(int i) => i % 20 == 10;

    private async Task<IReadOnlyList<InvariantCheck>> Check(LedgerMode mode, string? connectionString, LedgerProbe probe, long received,
        long sent, CancellationToken cancellationToken)
    {
        var checks = new List<InvariantCheck>();
        var keys = probe.Keys;
        var (missing, severalEventIds) = probe.EventCheck();
        checks.Add(InvariantCheck.Equal("every delivery was received", sent, received));
        checks.Add(InvariantCheck.Equal("every posting's event arrived", 0, missing));
        checks.Add(InvariantCheck.Equal("no event for an unknown posting", 0L, probe.UnknownEvents));
        if (mode == LedgerMode.EffectivelyOnce)
            checks.Add(InvariantCheck.Equal("one event message id per posting (duplicates absorbed by the inbox)", 0, severalEventIds));
        if (connectionString is null)
            return checks;

        await using var db = NewContext(connectionString);
        if (mode == LedgerMode.EffectivelyOnce)
        {
            // The last consumers' second transactions (delete sent rows, delivered mark) may trail their events.
            await Progress.Until(async ct => !await db.OutboxMessages.AnyAsync(ct), TimeSpan.FromSeconds(30), cancellationToken);
        }

        var entries = await db.Entries.AsNoTracking().ToListAsync(cancellationToken);
        var postings = entries.GroupBy(e => e.PostingKey).ToList();
        var expected = keys.Select(k => k.ToString("N")).ToHashSet();
        var unbalanced = postings.Count(p =>
            p.Count() != 2 || p.Count(e => e.Side == "D") != 1 || p.Count(e => e.Side == "C") != 1 ||
            p.Select(e => (e.Amount, e.Currency)).Distinct().Count() != 1);
        checks.Add(InvariantCheck.Equal("every posting balances (one debit, one credit, same amount)", 0, unbalanced));
        checks.Add(InvariantCheck.Equal("exactly one posting per message", expected.Count, postings.Count));
        var posted = postings.Select(p => p.Key).ToHashSet();
        checks.Add(InvariantCheck.Equal("no posting missing or unexpected", 0, expected.Count(k => !posted.Contains(k)) + posted.Count(k => !expected.Contains(k))));
        checks.Add(InvariantCheck.Equal("no outbox rows left", 0, await db.OutboxMessages.CountAsync(cancellationToken)));
        if (mode == LedgerMode.EffectivelyOnce)
        {
            checks.Add(InvariantCheck.Equal("one inbox mark per message", expected.Count, await db.InboxStates.CountAsync(cancellationToken)));
            checks.Add(InvariantCheck.Equal("every inbox mark delivered", 0, await db.InboxStates.CountAsync(x => x.Delivered == null, cancellationToken)));
        }

        return checks;
    }

    private IHost BuildHost(LedgerMode mode, bool batched, string? connectionString, Uri? virtualHost, DbActivityCounter counter, LedgerProbe probe,
        RetryLog retries)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(retries);
        if (connectionString is not null)
        {
            builder.Services.AddDbContext<BenchLedgerDbContext>(o =>
            {
                servers.Configure(o, connectionString);
                o.AddInterceptors(counter);
            });
        }

        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            if (mode == LedgerMode.EffectivelyOnce)
                x.AddEfInboxOutbox<BenchLedgerDbContext>();
            if (mode == LedgerMode.NoDatabase)
                x.AddConsumer<PublishOnlyConsumer>().Endpoint(e => e.Name = ConsumerQueue);
            else if (!batched)
                x.AddConsumer<PostLedgerEntryConsumer>().Endpoint(e => e.Name = ConsumerQueue);
            else
            {
                x.AddConsumer<PostLedgerEntriesConsumer>(c => c.Options<BatchOptions>(b => b
                        .SetMessageLimit(options.LedgerBatch)
                        .SetTimeLimit(BatchTimeLimit)
                        .SetConcurrencyLimit(BatchConcurrency)))
                    .Endpoint(e =>
                    {
                        // Every message of the batches being filled and consumed is unacknowledged at once.
                        e.Name = ConsumerQueue;
                        e.PrefetchCount = options.LedgerBatch * BatchConcurrency;
                        e.ConcurrentMessageLimit = options.LedgerBatch * BatchConcurrency;
                    });
            }

            // The service's endpoint policy (PaymentsWorkflowsRegistration.ConfigurePaymentsBus): retry outside the inbox/outbox.
            x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r =>
            {
                r.Handle<DbUpdateException>();
                r.Handle<InvalidOperationException>(e => e.InnerException is not null);
                r.Intervals(10, 50, 100, 250, 500, 1000);
            }));

            void Probe(IBusFactoryConfigurator cfg) =>
                cfg.ReceiveEndpoint(ProbeQueue, e => e.Handler<LedgerEntryPosted>(context =>
                {
                    probe.Observed(context.Message.PostingKey, context.MessageId);
                    return Task.CompletedTask;
                }));

            if (virtualHost is not null)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(virtualHost);
                    Probe(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    Probe(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder.Build();
    }

    private BenchLedgerDbContext NewContext(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<BenchLedgerDbContext>();
        servers.Configure(builder, connectionString);
        return new BenchLedgerDbContext(builder.Options);
    }

    private async Task CreateSchema(string connectionString, CancellationToken cancellationToken)
    {
        // A throwaway database that lives for this run only: EnsureCreated is enough.
        await using var db = NewContext(connectionString);
        await db.Database.EnsureCreatedAsync(cancellationToken);
        if (options.Database == BenchmarkDatabase.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    private async Task<DatabaseSample> DatabaseSample(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = NewContext(connectionString);
        return new DatabaseSample(await db.OutboxMessages.LongCountAsync(cancellationToken), await ServerCheckpoints.Begun(db, cancellationToken));
    }
}

public sealed record LedgerRunResult(
    long Messages,
    long Deliveries,
    double Seconds,
    double MessagesPerSecond,
    LatencySummary Latency,
    double? DbTransactionsPerMessage,
    double? DbCommandsPerMessage,
    long MessageRetries,
    IReadOnlyDictionary<string, double>? StatementsPerMessage,
    ResourceUsage Resources,
    IReadOnlyList<InvariantCheck> Invariants);
