using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Payments.Workflows.Benchmarks.Ceilings;

/// <summary>
/// RabbitMQ alone, through RabbitMQ.Client 7's async API: N persistent messages of the ledger message's size
/// published to a durable classic queue (MassTransit's default queue type) with publisher confirms, at most
/// <c>inFlight</c> unconfirmed; then all consumed with manual acks.
/// </summary>
public static class RabbitMqCeiling
{
    private const ushort Prefetch = 256;

    public static async Task<RabbitMqCeilingResult> Run(Uri virtualHost, int count, int inFlight, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = virtualHost, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync("payments-bench-ceiling", cancellationToken);
        var serverVersion = connection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : "unknown";
        const string queue = "bench-rabbitmq-ceiling";
        var body = new byte[700];
        Random.Shared.NextBytes(body);

        double publishSeconds;
        await using (var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(inFlight)), cancellationToken))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var pending = new List<Task>(inFlight);
            for (var i = 0; i < count; i++)
            {
                var properties = new BasicProperties { Persistent = true, MessageId = Guid.NewGuid().ToString(), ContentType = "application/json" };
                pending.Add(channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, body, cancellationToken).AsTask());
                if (pending.Count == inFlight)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }

            await Task.WhenAll(pending);
            publishSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        double consumeSeconds;
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            await channel.BasicQosAsync(0, Prefetch, global: false, cancellationToken);
            var consumed = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
                if (Interlocked.Increment(ref consumed) == count)
                    done.TrySetResult();
            };
            var started = Stopwatch.GetTimestamp();
            var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            consumeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await channel.BasicCancelAsync(tag, cancellationToken: cancellationToken);
            await channel.QueueDeleteAsync(queue, cancellationToken: cancellationToken);
        }

        return new RabbitMqCeilingResult(
            count,
            body.Length,
            inFlight,
            Prefetch,
            Math.Round(count / publishSeconds, 1),
            Math.Round(count / consumeSeconds, 1),
            Math.Round(count / (publishSeconds + consumeSeconds), 1),
            serverVersion);
    }
}

public sealed record RabbitMqCeilingResult(
    long Messages,
    int BodyBytes,
    int UnconfirmedPublishesInFlight,
    int ConsumerPrefetch,
    double PublishConfirmedPerSecond,
    double ConsumeAckedPerSecond,
    double PublishThenConsumePerSecond,
    string ServerVersion);
