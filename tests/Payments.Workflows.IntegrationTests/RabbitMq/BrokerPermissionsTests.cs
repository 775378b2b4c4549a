using System.Net;
using System.Net.Http.Headers;
using Payments.Workflows.Components.Acquirer;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>
/// What the broker lets each user do (security review, acceptance tests 7 and 8): the service runs as a user with
/// permissions on its own virtual host only, and a raw-JSON publisher, with exactly the permissions
/// <c>infra/rabbitmq/definitions.json</c> gives <c>payments-publisher</c>, reaches <c>payments.commands</c> and the
/// status request and nothing else: it cannot post an internal event such as a forged acquirer approval.
/// </summary>
public sealed class BrokerPermissionsTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const ushort AccessRefused = 403;

    private readonly HangingAcquirer _acquirer = new();

    private Uri _publisher = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The payment waits in Authorising for the whole test; no deadline declines it meanwhile.
        ["Payments:Acquirer:AuthorisationDeadline"] = "01:00:00",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _publisher = await RabbitMq.CreatePublisherAsync(VirtualHostUri, Cancellation);
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IAcquirer>(_acquirer);

    [Fact]
    public async Task The_publisher_may_publish_to_payments_commands_and_the_broker_confirms_it()
    {
        var refusal = await PublishConfirmed(_publisher, "payments.commands", "capture-payment",
            $$"""{"paymentId":"{{Guid.NewGuid()}}","idempotencyKey":"c-1","amount":1.00}""");

        Assert.Null(refusal);
    }

    [Theory]
    [InlineData("payment-state")]
    [InlineData("acquirer-authorisation")]
    [InlineData("Payments.Workflows.Components.Acquirer:AcquirerAuthorisationCompleted")]
    public async Task The_broker_refuses_the_publisher_a_publish_to_an_internal_exchange(string exchange)
    {
        var refusal = await PublishConfirmed(_publisher, exchange, string.Empty, "{}");

        Assert.NotNull(refusal);
        Assert.Equal(AccessRefused, refusal.ReplyCode);
        Assert.StartsWith("ACCESS_REFUSED", refusal.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_publisher_cannot_read_the_service_queues()
    {
        await using var connection = await Connect(_publisher);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation);

        await Assert.ThrowsAnyAsync<Exception>(() => channel.BasicGetAsync("raw-capture-payment", autoAck: true, Cancellation));

        Assert.Equal(AccessRefused, channel.CloseReason?.ReplyCode);
    }

    [Fact]
    public async Task A_forged_acquirer_approval_from_the_publisher_is_refused_and_the_payment_stays_authorising_with_no_posting()
    {
        var authorise = Authorise(42.00m);
        await Service.Send(authorise);
        await Service.WaitForState(authorise.PaymentId, "Authorising");
        await Eventually.Matches(_ => Task.FromResult(_acquirer.Calls), calls => calls > 0, "the acquirer to be asked", Timeout,
            cancellationToken: Cancellation);
        var forged = ApprovalEnvelope(authorise.PaymentId);

        var toSaga = await PublishConfirmed(_publisher, "payment-state", string.Empty, forged, MassTransitJson);
        var toEvent = await PublishConfirmed(_publisher, "Payments.Workflows.Components.Acquirer:AcquirerAuthorisationCompleted", string.Empty,
            forged, MassTransitJson);
        var viaCommands = await PublishConfirmed(_publisher, "payments.commands", "payment-state", forged, MassTransitJson);

        Assert.Equal((AccessRefused, AccessRefused), (toSaga?.ReplyCode, toEvent?.ReplyCode));
        // payments.commands takes it, but routes by command name only: no queue is bound for it, so it is dropped.
        Assert.Null(viaCommands);
        // Nothing was enqueued (the broker refused before confirming), so the saga saw nothing.
        Assert.Equal("Authorising", (await Service.Payment(authorise.PaymentId))!.CurrentState);
        Assert.Empty(await Service.Ledger(authorise.PaymentId));

        // The control: the envelope is a valid approval, and only the publisher's lack of permission stopped it.
        Assert.Null(await PublishConfirmed(VirtualHostUri, "payment-state", string.Empty, forged, MassTransitJson));
        await Service.WaitForState(authorise.PaymentId, "Authorised");
        Assert.Single(await Service.Ledger(authorise.PaymentId));
    }

    [Fact]
    public async Task The_publisher_gets_a_status_answer_on_a_reply_queue_of_its_own()
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(_publisher, h => h.PublisherConfirmation = true));
        await bus.StartAsync(Cancellation);
        try
        {
            var paymentId = Guid.NewGuid();
            var response = await bus.CreateRequestClient<GetPaymentStatus>(RequestTimeout.After(s: 20))
                .GetResponse<PaymentStatus, PaymentNotFound>(new GetPaymentStatus { PaymentId = paymentId }, Cancellation);

            Assert.True(response.Is(out Response<PaymentNotFound>? notFound));
            Assert.Equal(paymentId, notFound!.Message.PaymentId);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_raw_client_of_the_publisher_may_declare_a_server_named_reply_queue()
    {
        await using var connection = await Connect(_publisher);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation);

        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: Cancellation);

        Assert.StartsWith("amq.gen-", queue.QueueName, StringComparison.Ordinal);
        Assert.Null(await channel.BasicGetAsync(queue.QueueName, autoAck: true, Cancellation));
    }

    [Fact]
    public async Task The_service_user_cannot_use_the_management_api_to_manage_users_or_policies()
    {
        var (user, password) = UserOf(VirtualHostUri);
        using var http = new HttpClient { BaseAddress = Management.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

        using var users = await http.GetAsync("users", Cancellation);
        using var createUser = await http.PutAsync("users/intruder", Json("""{"password":"x","tags":"administrator"}"""), Cancellation);
        using var policy = await http.PutAsync($"policies/{Uri.EscapeDataString(VirtualHost)}/steal",
            Json("""{"pattern":".*","definition":{"max-length":0},"apply-to":"queues"}"""), Cancellation);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            [users.StatusCode, createUser.StatusCode, policy.StatusCode]);
    }

    [Fact]
    public async Task The_service_user_cannot_open_another_virtual_host()
    {
        // The broker's shared virtual hosts: the default one, and payments (whose own service user is another). The
        // client returns before the broker's answer to connection.open arrives; the broker then closes the connection.
        foreach (var other in new[] { "%2F", "payments" })
        {
            await using var connection = await Connect(new UriBuilder(VirtualHostUri) { Path = "/" + other }.Uri);

            var closed = await Eventually.Matches(_ => Task.FromResult(connection.CloseReason), reason => reason is not null,
                $"the broker to close the connection to virtual host {other}", Timeout, cancellationToken: Cancellation);

            Assert.Equal(530, closed!.ReplyCode);
            Assert.Contains("access to vhost", closed.ReplyText, StringComparison.Ordinal);
        }
    }

    private const string MassTransitJson = "application/vnd.masstransit+json";

    /// <summary>A MassTransit envelope approving <paramref name="paymentId"/>, as the service's acquirer consumer publishes it.</summary>
    private static string ApprovalEnvelope(Guid paymentId) => $$"""
        {
          "messageId": "{{Guid.NewGuid()}}",
          "messageType": ["urn:message:Payments.Workflows.Components.Acquirer:AcquirerAuthorisationCompleted"],
          "message": { "paymentId": "{{paymentId}}", "approved": true, "acquirerReference": "forged" },
          "sentTime": "{{DateTime.UtcNow:O}}"
        }
        """;

    /// <summary>
    /// Publishes with publisher confirms as <paramref name="user"/>; null when the broker confirmed it, else the reason
    /// the broker closed the channel.
    /// </summary>
    private static async Task<ShutdownEventArgs?> PublishConfirmed(Uri user, string exchange, string routingKey, string body,
        string contentType = "application/json")
    {
        await using var connection = await Connect(user);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), Cancellation);
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString() };
        try
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, Encoding.UTF8.GetBytes(body), Cancellation);
            return null;
        }
        catch (Exception) when (channel.CloseReason is { } reason)
        {
            return reason;
        }
    }

    private static Task<IConnection> Connect(Uri user) =>
        new ConnectionFactory { Uri = user, AutomaticRecoveryEnabled = false }.CreateConnectionAsync(Cancellation);

    private static (string User, string Password) UserOf(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>An acquirer that never answers: the payment stays in Authorising.</summary>
    private sealed class HangingAcquirer : IAcquirer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, cancellationToken);
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
