using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Diagnostics;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.RabbitMq;
using Payments.Workflows.Components.RawCommands;
using Payments.Workflows.Components.Status;
using Payments.Workflows.Messaging.Configuration;
using Payments.Workflows.Messaging.Resilience;
using Payments.Workflows.Messaging.Sagas;

namespace Payments.Workflows.Components;

public static class PaymentsWorkflowsRegistration
{
    /// <summary>
    /// Everything the service runs: options (validated at start-up), database, ledger, acquirer, and the bus
    /// with the payment saga and its consumers on the configured transport.
    /// </summary>
    public static IServiceCollection AddPaymentsWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AddPaymentsCore(services, configuration);
        services.AddMassTransit(x =>
        {
            ConfigurePaymentsBus(x);
            switch (options.TransportKind)
            {
                case TransportKind.RabbitMq:
                    var uri = new Uri(configuration.GetConnectionString("RabbitMq")!);
                    x.AddPaymentsRabbitMq(configuration);
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.ConfigurePaymentsRabbitMq(context, uri);
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                    break;
            }
        });
        return services;
    }

    /// <summary>
    /// Options, database, ledger and acquirer without the bus: for hosts (and the test harness) that configure
    /// the bus themselves through <see cref="ConfigurePaymentsBus"/>.
    /// </summary>
    public static PaymentsOptions AddPaymentsCore(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentsOptions>().Bind(configuration.GetSection(PaymentsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, PaymentsOptionsValidator>();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, InsecureTransportCheck>();

        // Read once here to choose the provider and transport; a bad value fails with the validator's message.
        var options = configuration.GetSection(PaymentsOptions.SectionName).Get<PaymentsOptions>() ?? new PaymentsOptions();
        var validation = new PaymentsOptionsValidator(configuration).Validate(null, options);
        if (validation.Failed)
            throw new OptionsValidationException(nameof(PaymentsOptions), typeof(PaymentsOptions), validation.Failures);

        services.AddOptions<InboxOutboxOptions>().Bind(configuration.GetSection(MessagingSectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddPaymentsDatabase(options.DatabaseProvider, configuration.GetConnectionString("Payments"));
        // One instance: a hosted service, and readiness asks it whether migrations are applied.
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        services.AddSingleton<IDatabaseMigrationState>(sp => sp.GetRequiredService<DatabaseMigrator>());
        // A stop (SIGTERM) lets consumers under way finish for this long, then cancels them: their messages go back to
        // the broker, or on the in-memory transport are sent again from the outbox after the restart. Within the
        // host's 30-second shutdown timeout.
        services.AddOptions<MassTransitHostOptions>().Configure(o => o.ConsumerStopTimeout ??= TimeSpan.FromSeconds(15));
        services.AddMetrics();
        services.TryAddSingleton<PaymentMetrics>();
        services.AddScoped<LedgerWriter>();
        services.AddScoped<LedgerQueries>();
        services.TryAddSingleton<IAcquirer, SimulatedAcquirer>();
        // Created once the container is built, when every IAcquirer registration is in, the host's included.
        services.AddSingleton<IValidateOptions<PaymentsOptions>>(sp =>
            new SimulatedAcquirerValidator(sp.GetService<IHostEnvironment>(), SimulatedAcquirerValidator.IsSimulated(services)));
        services.AddAcquirerResilience(options.Acquirer);
        return options;
    }

    /// <summary>Settings of the inbox, outbox, delivery service, scheduler and cleanup (Payments__Messaging__*).</summary>
    public const string MessagingSectionName = "Payments:Messaging";

    /// <summary>
    /// The saga, consumers and endpoint policy, whatever the transport. Scheduling (hold expiry) goes through the
    /// outbox table, so no broker plugin is needed.
    /// </summary>
    public static void ConfigurePaymentsBus(IBusRegistrationConfigurator x)
    {
        x.SetKebabCaseEndpointNameFormatter();

        // MassTransit 8.5 reports usage to its vendor over HTTPS by default; a payment service does not phone home
        // (and where it has no way out, each attempt only logs a warning).
        x.DisableUsageTelemetry();
        // The acquirer's endpoint calls out: it holds no transaction open during the call (see AuthoriseWithAcquirerConsumer).
        x.AddEfInboxOutbox<PaymentsDbContext>(appliesTo: queueName => queueName != AcquirerEndpoint.Name);
        x.SetSagaRepositoryProvider(new EfCoreSagaRepositoryRegistrationProvider<PaymentsDbContext>());
        x.AddSagaStateMachine<PaymentStateMachine, PaymentState, PaymentStateDefinition>();
        x.AddConsumer<AuthoriseWithAcquirerConsumer, AuthoriseWithAcquirerConsumerDefinition>();
        x.AddConsumer<GetPaymentStatusConsumer>();
        x.AddConfigureEndpointsCallback(ConfigurePaymentEndpoint);
    }

    /// <summary>
    /// Every receive endpoint's policy, outermost first. The inbox/outbox that <c>AddEfInboxOutbox</c> adds (from
    /// Messaging) always runs inside all of it, around the saga or consumer, with a fresh scope and DbContext per retry.
    /// </summary>
    private static void ConfigurePaymentEndpoint(IRegistrationContext context, string queueName, IReceiveEndpointConfigurator endpoint)
    {
        // 1. The saga's endpoint: a payment's messages, in delivery order, one at a time. Outside retry, so a
        //    retried message keeps its place and a later message for the payment waits instead of overtaking it.
        if (queueName == PaymentStateDefinition.Name)
        {
            endpoint.UsePaymentPartitioner(context.GetService<ILoggerFactory>()?.CreateLogger(typeof(PaymentPartitioning)),
                context.GetRequiredService<IOptions<InboxOutboxOptions>>().Value.CreateSagaBatcher());
        }

        var retry = context.GetRequiredService<IOptions<PaymentsOptions>>().Value.Retry;

        // 2. Every endpoint, any failure but an outage or a message that can never be read: a few quick retries, each
        //    on a fresh scope and DbContext (a lost first-insert race, a bug that a second try does not repeat); what
        //    still fails goes to the queue's _error queue with its reason and retry count.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(exception => !IsOutage(exception));
            r.Ignore<InvalidRawCommandException>();
            r.Ignore<JsonException>();
            r.Intervals([.. retry.IntervalsOrDefault]);
        });

        // 3. Every endpoint, through an outage (the database, the broker or the acquirer unreachable, a deadlock): the
        //    message is held and tried again, backing off, until the outage is over. It stays unacknowledged meanwhile
        //    (back on the queue if this instance dies), and the endpoint takes no more than its concurrency limit, so
        //    nothing is drained into _error while a server is away. Inside 2, which lets outages pass.
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(IsOutage);
            r.Exponential(retry.OutageRetryLimit, retry.OutageMinInterval, retry.OutageMaxInterval, retry.OutageMinInterval);
        });

        // Not a filter: the queue's type and dead-lettering, declared with it.
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            rabbit.ConfigurePaymentQueue(queueName, context.GetRequiredService<IOptions<RabbitMqOptions>>().Value);
    }

    /// <summary>A fault of the surroundings, not of the message: worth waiting out.</summary>
    private static bool IsOutage(Exception exception) => TransientFaults.IsTransient(exception) || AcquirerFaults.IsUnavailable(exception);
}
