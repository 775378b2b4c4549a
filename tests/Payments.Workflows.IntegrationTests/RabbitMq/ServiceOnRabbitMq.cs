
namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>One service instance on a virtual host and a database of its own, with a plain AMQP client beside it.</summary>
public abstract class ServiceOnRabbitMq(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a stream of payments may take to reach a state, faults included.</summary>
    protected static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SendAttemptTimeout = TimeSpan.FromSeconds(5);

    private int _failedSends;

    protected RabbitMqServer RabbitMq { get; } = rabbitMq;

    protected PostgresServer Postgres { get; } = postgres;

    protected ServiceHost Service { get; private set; } = null!;

    protected AmqpClient Amqp { get; private set; } = null!;

    protected Uri VirtualHostUri { get; private set; } = null!;

    protected string VirtualHost => RabbitMqServer.VirtualHostOf(VirtualHostUri);

    protected string Database { get; private set; } = null!;

    protected RabbitMqManagementClient Management { get; private set; } = null!;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Settings the test's service instances start with, on top of <see cref="ServiceHost"/>'s.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async ValueTask InitializeAsync()
    {
        VirtualHostUri = await RabbitMq.CreateVirtualHostAsync(GetType().Name.Replace("Tests", "", StringComparison.Ordinal).ToLowerInvariant(), Cancellation);
        Database = await Postgres.CreateDatabaseAsync("rmq", Cancellation);
        Management = await RabbitMq.GetManagementClientAsync(Cancellation);
        // The host reports started once the bus has declared its topology (MassTransitHostOptions.WaitUntilStarted).
        Service = await StartInstance();
        Amqp = await AmqpClient.Connect(VirtualHostUri);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Amqp is not null)
            await Amqp.DisposeAsync();
        if (Service is not null)
            await Service.DisposeAsync();
    }

    /// <summary>Another instance of the service on the same virtual host and database.</summary>
    protected Task<ServiceHost> StartInstance() => ServiceHost.Start(VirtualHostUri, Database, Settings, ConfigureServices);

    /// <summary>Test-only service replacements for the test's instances.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>A new payment's authorisation, as the RabbitMQ and lifecycle tests send it.</summary>
    internal static AuthorisePayment Authorise(decimal amount, string token = "tok_visa") => new()
    {
        PaymentId = Guid.NewGuid(),
        IdempotencyKey = $"auth-{Guid.NewGuid():N}",
        MerchantId = "merchant-rmq",
        CustomerId = "customer-rmq",
        Amount = amount,
        Currency = "EUR",
        CardToken = token,
    };

    protected static CapturePayment Capture(AuthorisePayment payment) =>
        new() { PaymentId = payment.PaymentId, IdempotencyKey = $"cap-{payment.PaymentId:N}", Amount = payment.Amount };

    /// <summary>
    /// A publisher's retry: the same message (same MessageId) until the broker confirms it. An attempt that fails or
    /// gets no confirmation within a few seconds (the broker is down or the connection was cut) counts in
    /// <see cref="FailedSends"/> and is tried again.
    /// </summary>
    protected async Task SendUntilConfirmed<T>(ServiceHost instance, T message)
        where T : class
    {
        var messageId = Guid.NewGuid();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(SendTimeout);
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            attempt.CancelAfter(SendAttemptTimeout);
            try
            {
                await instance.Send(message, messageId, attempt.Token);
                return;
            }
            catch (Exception exception) when (!deadline.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failedSends);
                TestContext.Current.SendDiagnosticMessage($"Send of {typeof(T).Name} {messageId} failed, retrying: {exception.GetType().Name}: {exception.Message}");
            }
            catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"The broker did not confirm {typeof(T).Name} {messageId} within {SendTimeout.TotalSeconds:0}s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), Cancellation);
        }
    }

    /// <summary>How many send attempts of <see cref="SendUntilConfirmed"/> failed and were retried.</summary>
    protected int FailedSends => Volatile.Read(ref _failedSends);

    protected static Task WaitForAll(ServiceHost instance, IReadOnlyList<AuthorisePayment> payments, Func<string?, bool> reached, string what) =>
        Eventually.Matches(ct => States(instance, payments.Select(p => p.PaymentId).ToList(), ct), states => states.All(reached),
            $"all {payments.Count} payments to be {what}", StreamTimeout, cancellationToken: Cancellation);

    protected static Task WaitForAll(ServiceHost instance, IReadOnlyList<AuthorisePayment> payments, string state) =>
        WaitForAll(instance, payments, s => s == state, state);

    /// <summary>Each payment's saga state, in the order of <paramref name="ids"/> (null: no saga yet).</summary>
    protected static async Task<IReadOnlyList<string?>> States(ServiceHost instance, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var states = new List<string?>();
        foreach (var id in ids)
            states.Add((await instance.Payment(id, cancellationToken))?.CurrentState);
        return states;
    }

    /// <summary>
    /// Every payment was authorised and captured exactly once in the ledger and in its saga, the ledger balances,
    /// and the outbox holds nothing that should have gone out (scheduled hold expiries are due in days).
    /// </summary>
    protected async Task AssertEachOperationPostedOnce(IReadOnlyList<AuthorisePayment> payments)
    {
        foreach (var payment in payments)
        {
            var ledger = await Service.Ledger(payment.PaymentId);
            Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Capture], ledger.Select(t => t.Operation).Order());
            Assert.Equal(["Authorise", "Capture"], (await Service.Payment(payment.PaymentId))!.Operations.Select(o => o.Command).Order());
            LedgerAssert.Balances(ledger);
        }

        var entries = await Service.AllEntries();
        Assert.Equal(payments.Count * 2, entries.Select(e => e.TransactionId).Distinct().Count());
        LedgerAssert.SumsToZero(entries);

        var now = DateTime.UtcNow;
        await Eventually.Matches(_ => Service.Count<OutboxMessage>(q => q.Where(m => m.DueAt <= now || m.QuarantinedAt != null)), n => n == 0,
            "every due outbox row to be delivered (none quarantined)", Timeout, cancellationToken: Cancellation);
    }

    /// <summary>The queues the service declares and consumes, as the management UI lists them.</summary>
    protected static IReadOnlyList<string> ServiceQueues { get; } =
    [
        "payment-state", "acquirer-authorisation", "get-payment-status",
        "raw-authorise-payment", "raw-capture-payment", "raw-void-payment", "raw-refund-payment",
    ];
}
