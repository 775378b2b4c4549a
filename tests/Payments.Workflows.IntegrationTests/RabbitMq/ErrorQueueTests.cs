using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.IntegrationTests.Fixtures;
using Payments.Workflows.IntegrationTests.Support;
using RabbitMQ.Client;

namespace Payments.Workflows.IntegrationTests.RabbitMq;

/// <summary>A message that keeps failing: retried, then parked in its queue's _error queue with the reason, then replayed.</summary>
public sealed class ErrorQueueTests(RabbitMqServer rabbitMq, PostgresServer postgres) : ServiceOnRabbitMq(rabbitMq, postgres)
{
    private readonly SwitchableAcquirer _acquirer = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IAcquirer>(_acquirer);

    [Fact]
    public async Task A_failing_message_is_retried_then_moved_to_the_error_queue_with_the_exception_and_can_be_replayed_from_there()
    {
        _acquirer.Reachable = false;
        var authorise = Authorise(12.00m);

        await Service.Send(authorise);

        var failed = (await Amqp.WaitForMessages("acquirer-authorisation_error")).Single();
        Assert.Equal("fault", AmqpClient.Header(failed, "MT-Reason"));
        Assert.Equal("System.IO.IOException", AmqpClient.Header(failed, "MT-Fault-ExceptionType"));
        Assert.Equal("Connection reset by the acquirer gateway.", AmqpClient.Header(failed, "MT-Fault-Message"));
        Assert.Equal("7", AmqpClient.Header(failed, "MT-Fault-RetryCount"));
        Assert.EndsWith("/acquirer-authorisation", AmqpClient.Header(failed, "MT-Fault-InputAddress"), StringComparison.Ordinal);
        Assert.Contains("AuthoriseWithAcquirerConsumer", AmqpClient.Header(failed, "MT-Fault-ConsumerType"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(AmqpClient.Header(failed, "MT-Fault-StackTrace")));
        Assert.Equal(1 + 7, _acquirer.Calls);
        Assert.Equal("Authorising", (await Service.Payment(authorise.PaymentId))!.CurrentState);

        // Replay, as a shovel or "Move messages" does: the same message, unchanged, back to its queue.
        _acquirer.Reachable = true;
        await Amqp.Channel.BasicPublishAsync(string.Empty, "acquirer-authorisation", mandatory: true,
            new BasicProperties(failed.BasicProperties), failed.Body, Cancellation);

        await Service.WaitForState(authorise.PaymentId, "Authorised");
        Assert.Single(await Service.Ledger(authorise.PaymentId));
    }

    private sealed class SwitchableAcquirer : IAcquirer
    {
        private int _calls;

        public volatile bool Reachable = true;

        public int Calls => _calls;

        public Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Reachable)
                return Task.FromResult(AcquirerDecision.Approve($"ref-{request.PaymentId:N}"));
            try
            {
                throw new IOException("Connection reset by the acquirer gateway.");
            }
            catch (IOException reset)
            {
                throw new InvalidOperationException("The acquirer gateway could not be reached.", reset);
            }
        }
    }
}
