using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Components.RabbitMq;
using Payments.Workflows.Components.Status;
using Payments.Workflows.Messaging.Configuration;
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

        // Read once here to choose the provider and transport; a bad value fails with the validator's message.
        var options = configuration.GetSection(PaymentsOptions.SectionName).Get<PaymentsOptions>() ?? new PaymentsOptions();
        var validation = new PaymentsOptionsValidator(configuration).Validate(null, options);
        if (validation.Failed)
            throw new OptionsValidationException(nameof(PaymentsOptions), typeof(PaymentsOptions), validation.Failures);

        services.AddOptions<InboxOutboxOptions>().Bind(configuration.GetSection(MessagingSectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddPaymentsDatabase(options.DatabaseProvider, configuration.GetConnectionString("Payments"));
        services.AddHostedService<DatabaseMigrator>();
        services.AddScoped<LedgerWriter>();
        services.AddScoped<LedgerQueries>();
        services.TryAddSingleton<IAcquirer, SimulatedAcquirer>();
        services.AddAcquirerResilience(options.Acquirer);
        return options;
    }

    /// <summary>Settings of the inbox, outbox, delivery service, scheduler and cleanup (Payments__Messaging__*).</summary>
    public const string MessagingSectionName = "Payments:Messaging";

    /// <summary>
    /// The saga, consumers and endpoint policies, whatever the transport: every endpoint gets message retry
    /// outside our EF inbox/outbox, and scheduling (hold expiry) goes through the outbox table, so no broker
    /// plugin is needed.
    /// </summary>
    public static void ConfigurePaymentsBus(IBusRegistrationConfigurator x)
    {
        x.SetKebabCaseEndpointNameFormatter();

        // MassTransit 8.5 reports usage to its vendor over HTTPS by default; a payment service does not phone home
        // (and where it has no way out, each attempt only logs a warning).
        x.DisableUsageTelemetry();
        x.AddEfInboxOutbox<PaymentsDbContext>();
        x.SetSagaRepositoryProvider(new EfCoreSagaRepositoryRegistrationProvider<PaymentsDbContext>());
        x.AddSagaStateMachine<PaymentStateMachine, PaymentState, PaymentStateDefinition>();
        x.AddConsumer<AuthoriseWithAcquirerConsumer, AuthoriseWithAcquirerConsumerDefinition>();
        x.AddConsumer<GetPaymentStatusConsumer>();

        // Outside retry and the inbox/outbox (both are added when the saga's messages are configured, after every
        // endpoint callback), so a retried message keeps its partition and a payment's messages stay in order.
        x.AddConfigureEndpointsCallback((context, queueName, endpoint) =>
        {
            if (queueName == PaymentStateDefinition.Name)
                endpoint.UsePaymentPartitioner(context.GetService<ILoggerFactory>()?.CreateLogger(typeof(PaymentPartitioning)));
        });
        x.AddConfigureEndpointsCallback((_, _, endpoint) =>
        {
            // Outside everything else on the endpoint: a conflicting first insert, a deadlock or a serialisation
            // failure is retried on a fresh scope and DbContext.
            endpoint.UseMessageRetry(r =>
            {
                r.Handle<DbUpdateException>();
                r.Handle<InvalidOperationException>(e => e.InnerException is not null);
                r.Intervals(0, 10, 50, 100, 250, 500, 1000);
            });
        });
    }
}
