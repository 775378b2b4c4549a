using Microsoft.Extensions.Configuration;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.RawCommands;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.RabbitMq;

/// <summary>
/// The service on RabbitMQ: publisher confirms, prefetch and concurrency, quorum queues that dead-letter to their
/// <c>_error</c> queue at a delivery limit, and the raw-JSON command endpoints for publishers without our contracts.
/// </summary>
internal static class RabbitMqTransport
{
    private const string DeliveryLimitArgument = "x-delivery-limit";
    private const string DeadLetterStrategyArgument = "x-dead-letter-strategy";
    private const string OverflowArgument = "x-overflow";
    private const string DeadLetterExchangeArgument = "x-dead-letter-exchange";

    /// <summary>
    /// Registrations that only RabbitMQ needs, inside <c>AddMassTransit</c>: options and the raw command consumers.
    /// Each endpoint's queue settings (<see cref="ConfigurePaymentQueue"/>) are applied with the rest of its policy,
    /// in <see cref="PaymentsWorkflowsRegistration.ConfigurePaymentsBus"/>.
    /// </summary>
    public static void AddPaymentsRabbitMq(this IBusRegistrationConfigurator x, IConfiguration configuration)
    {
        x.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.SectionName)).ValidateOnStart();
        x.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();

        // Commands are sent to endpoint exchanges, which drop what arrives before their queue is bound, so start-up
        // waits for the bus to declare its topology, but after the web server listens and only for a bounded time
        // (MassTransitHostOptions.WaitUntilStarted would block the server until the broker answers, forever).
        x.AddHostedService<RabbitMqStartupWait>();

        x.AddConsumer<RawCommandConsumer<RawAuthorisePayment, AuthorisePayment>, RawCommandConsumerDefinition<RawAuthorisePayment, AuthorisePayment>>();
        x.AddConsumer<RawCommandConsumer<RawCapturePayment, CapturePayment>, RawCommandConsumerDefinition<RawCapturePayment, CapturePayment>>();
        x.AddConsumer<RawCommandConsumer<RawVoidPayment, VoidPayment>, RawCommandConsumerDefinition<RawVoidPayment, VoidPayment>>();
        x.AddConsumer<RawCommandConsumer<RawRefundPayment, RefundPayment>, RawCommandConsumerDefinition<RawRefundPayment, RefundPayment>>();
    }

    /// <summary>The host and bus-wide settings, inside <c>UsingRabbitMq</c>, before <c>ConfigureEndpoints</c>.</summary>
    public static void ConfigurePaymentsRabbitMq(this IRabbitMqBusFactoryConfigurator cfg, IBusRegistrationContext context, Uri host)
    {
        var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;

        cfg.Host(host, h =>
        {
            // A send or publish completes only once the broker has taken responsibility for the message.
            h.PublisherConfirmation = true;
            if (BrokerTls.IsTls(host))
                h.UseSsl(ssl => BrokerTls.Configure(ssl, host, options.CaCertificatePath));
        });

        cfg.PrefetchCount = options.PrefetchCount;
        cfg.ConcurrentMessageLimit = options.ConcurrentMessageLimit;

        // MassTransit declares <queue>_error and <queue>_skipped with the arguments of their queue. They keep its
        // type but must not dead-letter anywhere themselves: a message in them stays until an operator moves it.
        cfg.SendTopology.ConfigureErrorSettings = RemoveDeadLettering;
        cfg.SendTopology.ConfigureDeadLetterSettings = RemoveDeadLettering;
    }

    /// <summary>
    /// A service queue: quorum with a delivery limit (unless turned off), dead-lettering to its <c>_error</c> queue,
    /// which is declared with it; the saga's endpoint takes in more at once than the others, for its batches.
    /// </summary>
    public static void ConfigurePaymentQueue(this IRabbitMqReceiveEndpointConfigurator endpoint, string queueName, RabbitMqOptions options)
    {
        if (queueName == PaymentStateDefinition.Name)
        {
            endpoint.PrefetchCount = options.SagaPrefetchCount;
            endpoint.ConcurrentMessageLimit = options.SagaConcurrentMessageLimit;
        }

        var errorQueue = ErrorQueueFor(queueName);
        if (options.QuorumQueues)
        {
            endpoint.SetQuorumQueue();
            endpoint.SetQueueArgument(DeliveryLimitArgument, options.DeliveryLimit);

            // At-least-once dead-lettering (RabbitMQ 3.10+): a message leaves the queue only once the error
            // queue has it. It requires reject-publish overflow, which matters only if a length limit is set.
            endpoint.SetQueueArgument(DeadLetterStrategyArgument, "at-least-once");
            endpoint.SetQueueArgument(OverflowArgument, "reject-publish");
        }

        // Declared with the endpoint, not on the first failure, so the dead-letter exchange always has a queue
        // behind it; its arguments match what MassTransit declares for it later.
        endpoint.BindDeadLetterQueue(errorQueue, errorQueue, queue =>
        {
            if (options.QuorumQueues)
                queue.SetQuorumQueue();
        });
    }

    /// <summary>The error queue MassTransit (and the broker, at the delivery limit) moves a queue's failures to.</summary>
    private static string ErrorQueueFor(string queueName) => $"{queueName}_error";

    private static void RemoveDeadLettering(IRabbitMqQueueBindingConfigurator queue)
    {
        queue.SetQueueArgument(DeadLetterExchangeArgument, null);
        queue.SetQueueArgument(DeliveryLimitArgument, null);
        queue.SetQueueArgument(DeadLetterStrategyArgument, null);
        queue.SetQueueArgument(OverflowArgument, null);
    }
}
