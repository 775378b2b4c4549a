using Payments.Workflows.Components.Acquirer;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>
/// A message that keeps failing for a reason of its own (not an outage, which is waited out): retried, then parked in its
/// queue's _error queue with the reason, then replayed.
/// </summary>
public sealed class ErrorQueueTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private const string ErrorQueue = "acquirer-authorisation_error";

    private readonly SwitchableAcquirer _acquirer = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IAcquirer>(_acquirer);

    [Fact]
    public async Task A_failing_message_is_retried_then_moved_to_the_error_queue_with_the_exception_and_can_be_replayed_from_there()
    {
        _acquirer.Reachable = false;
        var authorise = Authorise(12.00m);

        await Service.Send(authorise);

        // Look without removing, as the UI's "Get messages" with "Nack message requeue true" does.
        var failed = await Eventually.Matches(ct => Amqp.Channel.BasicGetAsync(ErrorQueue, autoAck: false, ct), m => m is not null,
            $"a message on {ErrorQueue}", Timeout, cancellationToken: Cancellation);
        await Amqp.Channel.BasicNackAsync(failed!.DeliveryTag, multiple: false, requeue: true, Cancellation);
        Assert.Equal("fault", AmqpClient.Header(failed, "MT-Reason"));
        Assert.Equal("System.FormatException", AmqpClient.Header(failed, "MT-Fault-ExceptionType"));
        Assert.Equal("The acquirer gateway answered with a malformed response.", AmqpClient.Header(failed, "MT-Fault-Message"));
        Assert.Equal("7", AmqpClient.Header(failed, "MT-Fault-RetryCount"));
        Assert.EndsWith("/acquirer-authorisation", AmqpClient.Header(failed, "MT-Fault-InputAddress"), StringComparison.Ordinal);
        Assert.Contains("AuthoriseWithAcquirerConsumer", AmqpClient.Header(failed, "MT-Fault-ConsumerType"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(AmqpClient.Header(failed, "MT-Fault-StackTrace")));
        Assert.Equal(1 + 7, _acquirer.Calls);
        Assert.Equal("Authorising", (await Service.Payment(authorise.PaymentId))!.CurrentState);
        // The parked request names its payment; the card token stays in the payment's row.
        var body = Encoding.UTF8.GetString(failed.Body.Span);
        Assert.Contains(authorise.PaymentId.ToString(), body, StringComparison.Ordinal);
        Assert.DoesNotContain(authorise.CardToken, body, StringComparison.Ordinal);

        // Replay as ops do it: the queue's page in the management UI, "Move messages" to acquirer-authorisation
        // (a shovel through the management API, exactly what that form creates).
        _acquirer.Reachable = true;
        var shovel = await Management.MoveMessagesAsync(VirtualHost, ErrorQueue, "acquirer-authorisation", Cancellation);

        await Service.WaitForState(authorise.PaymentId, "Authorised");
        Assert.Single(await Service.Ledger(authorise.PaymentId));
        await Eventually.Matches(ct => Management.ShovelExistsAsync(VirtualHost, shovel, ct), exists => !exists,
            "the move-messages shovel to delete itself", Timeout, cancellationToken: Cancellation);
        Assert.Null(await Amqp.Channel.BasicGetAsync(ErrorQueue, autoAck: false, Cancellation));
    }

    private sealed class SwitchableAcquirer : IAcquirer
    {
        private int _calls;

        public volatile bool Reachable = true;

        public int Calls => _calls;

        public Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Reachable)
                return Task.FromResult(AcquirerDecision.Approve($"ref-{request.PaymentId:N}"));
            try
            {
                throw new FormatException("The acquirer gateway answered with a malformed response.");
            }
            catch (FormatException malformed)
            {
                throw new InvalidOperationException("The acquirer's answer could not be read.", malformed);
            }
        }
    }
}
