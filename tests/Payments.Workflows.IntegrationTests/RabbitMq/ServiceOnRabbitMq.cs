using Microsoft.Extensions.DependencyInjection;
using Payments.Workflows.Contracts;
using Payments.Workflows.IntegrationTests.Fixtures;
using Payments.Workflows.IntegrationTests.Support;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>One service instance on a virtual host and a database of its own, with a plain AMQP client beside it.</summary>
public abstract class ServiceOnRabbitMq(RabbitMqServer rabbitMq, PostgresServer postgres) : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

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

    protected static AuthorisePayment Authorise(decimal amount, string token = "tok_visa") => new()
    {
        PaymentId = Guid.NewGuid(),
        IdempotencyKey = $"auth-{Guid.NewGuid():N}",
        MerchantId = "merchant-rmq",
        CustomerId = "customer-rmq",
        Amount = amount,
        Currency = "EUR",
        CardToken = token,
    };

    /// <summary>The queues the service declares and consumes, as the management UI lists them.</summary>
    protected static IReadOnlyList<string> ServiceQueues { get; } =
    [
        "payment-state", "acquirer-authorisation", "get-payment-status",
        "raw-authorise-payment", "raw-capture-payment", "raw-void-payment", "raw-refund-payment",
    ];
}
