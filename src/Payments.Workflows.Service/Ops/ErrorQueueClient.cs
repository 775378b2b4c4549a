using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Payments.Workflows.Service.Ops;

/// <summary>
/// Reads, replays and deletes messages of the service's <c>_error</c> queues over AMQP, as the service's own broker
/// user, on a connection opened for the request. Messages are taken with basic.get and no automatic ack: the ones
/// acted on are acked (a replayed one only once the broker confirmed its resend), the rest are left unacked and the
/// channel is closed, which puts them back where they were. One operation at a time per instance, so a browse never
/// hides messages from a replay running beside it.
/// </summary>
internal sealed class ErrorQueueClient(IOptions<ErrorQueueOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "rabbitmq-management";

    /// <summary>How many messages, from the head of a queue, one browse, replay or delete reads at most.</summary>
    public const int BrowseLimit = 1000;

    public const string Suffix = "_error";

    /// <summary>The longest queue name AMQP allows.</summary>
    public const int MaximumQueueName = 255;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly ErrorQueueOptions _options = options.Value;

    /// <summary>Whether the management API is configured (the list of queues needs it).</summary>
    public bool CanList => _options.Management is not null;

    /// <summary>A name an error queue may have: ends in _error, has something before it, fits AMQP.</summary>
    public static bool IsErrorQueueName(string queue) =>
        queue.Length > Suffix.Length && queue.Length <= MaximumQueueName && queue.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>Every <c>_error</c> queue of the service's vhost with its depth and its messages grouped.</summary>
    public async Task<IReadOnlyList<ErrorQueueView>> List(CancellationToken cancellationToken)
    {
        var names = await ErrorQueueNames(cancellationToken);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await Connect(cancellationToken);
            var views = new List<ErrorQueueView>();
            foreach (var name in names)
            {
                // Deleted since the management API listed it: not an error queue any more.
                if (await Browse(connection, name, cancellationToken) is { } view)
                    views.Add(view);
            }

            return views;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Takes the chosen messages among the first <see cref="BrowseLimit"/> of <paramref name="queue"/>: resends each to
    /// the queue it failed on (the error queue's name without _error) and acks it once the broker confirmed the resend,
    /// or (not <paramref name="replay"/>) just acks it. The others go back in their order when the channel closes.
    /// </summary>
    public async Task<ErrorQueueTaken> Take(string queue, Func<FailedMessage, bool> chosen, IReadOnlyCollection<string> messageIds, bool replay,
        CancellationToken cancellationToken)
    {
        var destination = queue[..^Suffix.Length];
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await Connect(cancellationToken);
            if (await Depth(connection, queue, cancellationToken) is not { } depth)
                return new ErrorQueueTaken(ErrorQueueTakeStatus.NoSuchQueue, 0, []);
            if (replay && await Depth(connection, destination, cancellationToken) is null)
                return new ErrorQueueTaken(ErrorQueueTakeStatus.NoDestination, 0, []);

            var unmet = new HashSet<string>(messageIds, StringComparer.Ordinal);
            var taken = 0;
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            // Only the messages there now: a replayed message that fails again joins the back of the queue and must not
            // be read (and replayed) a second time by this same request.
            var limit = Math.Min(BrowseLimit, depth);
            for (var read = 0; read < limit && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message; read++)
            {
                var failed = FailedMessage.Read(message.BasicProperties, message.Body);
                if (!chosen(failed))
                    continue;
                if (replay)
                {
                    try
                    {
                        // Mandatory: a resend no queue takes comes back as a failure, and the error copy stays.
                        await channel.BasicPublishAsync(string.Empty, destination, mandatory: true, Resend(message.BasicProperties), message.Body,
                            cancellationToken);
                    }
                    catch (PublishException exception)
                    {
                        await channel.CloseAsync(cancellationToken);
                        return new ErrorQueueTaken(ErrorQueueTakeStatus.ResendRefused, taken, Unmet(unmet),
                            $"The broker did not confirm the resend of message {failed.MessageId ?? "(no id)"} to {destination} "
                            + $"({(exception is PublishReturnException ? "returned: no queue took it" : "nacked")}).");
                    }
                }

                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                if (failed.MessageId is not null)
                    unmet.Remove(failed.MessageId);
                taken++;
            }

            // Unacked messages are requeued in their original order when the channel closes.
            await channel.CloseAsync(cancellationToken);
            return new ErrorQueueTaken(ErrorQueueTakeStatus.Done, taken, Unmet(unmet));
        }
        finally
        {
            _oneAtATime.Release();
        }

        List<string> Unmet(HashSet<string> ids) => messageIds.Where(ids.Contains).Distinct(StringComparer.Ordinal).ToList();
    }

    private static BasicProperties Resend(IReadOnlyBasicProperties original) =>
        new(original) { Headers = FailedMessage.ResendHeaders(original.Headers) };

    /// <summary>Reads up to <see cref="BrowseLimit"/> messages without acking any, then closes the channel, which requeues them in order.</summary>
    private static async Task<ErrorQueueView?> Browse(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        if (await Depth(connection, queue, cancellationToken) is not { } depth)
            return null;

        var read = new List<FailedMessage>();
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            // The messages there when asked; one that fails meanwhile is shown next time.
            while (read.Count < Math.Min(BrowseLimit, depth) && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
                read.Add(FailedMessage.Read(message.BasicProperties, message.Body));
            await channel.CloseAsync(cancellationToken);
        }

        var groups = read
            .GroupBy(m => (m.ExceptionType, m.MessageType))
            .Select(g => new ErrorQueueGroup(g.Key.ExceptionType, g.Key.MessageType, g.Count(), new ErrorMessageSample(g.First().MessageId, g.First().Reason)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.ExceptionType, StringComparer.Ordinal).ThenBy(g => g.MessageType, StringComparer.Ordinal)
            .ToList();
        return new ErrorQueueView(queue, depth, read.Count, depth > read.Count, groups);
    }

    /// <summary>The queue's ready messages, or null when the vhost has no such queue (a passive declare, on a channel of its own).</summary>
    private static async Task<long?> Depth(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            await channel.CloseAsync(cancellationToken);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    /// <summary>The names of the vhost's queues that end in _error, from the management API (GET /api/queues/{vhost}).</summary>
    private async Task<List<string>> ErrorQueueNames(CancellationToken cancellationToken)
    {
        var management = _options.Management ?? throw new InvalidOperationException($"{ErrorQueueRegistration.ManagementSetting} is not set.");
        var address = new UriBuilder(management) { UserName = string.Empty, Password = string.Empty };
        address.Path = address.Path.TrimEnd('/') + "/api/queues/" + Uri.EscapeDataString(_options.VirtualHost);
        address.Query = "columns=name";
        using var request = new HttpRequestMessage(HttpMethod.Get, address.Uri);
        var credentials = management.UserInfo.Split(':', 2);
        if (credentials[0].Length > 0)
        {
            var user = Uri.UnescapeDataString(credentials[0]);
            var password = credentials.Length == 2 ? Uri.UnescapeDataString(credentials[1]) : string.Empty;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The RabbitMQ management API answered {(int)response.StatusCode} to GET /api/queues for vhost '{_options.VirtualHost}'; "
                + $"check {ErrorQueueRegistration.ManagementSetting} (a user with the monitoring tag).", null, response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var queues = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return queues.RootElement.EnumerateArray()
            .Select(q => q.TryGetProperty("name", out var name) ? name.GetString() : null)
            .OfType<string>()
            .Where(IsErrorQueueName)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<IConnection> Connect(CancellationToken cancellationToken)
    {
        var broker = _options.Broker ?? throw new InvalidOperationException("ConnectionStrings__RabbitMq is not set.");
        var factory = new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = false, ClientProvidedName = "payments-workflows-ops" };
        if (broker.Scheme is "amqps" or "rabbitmqs")
        {
            factory.Ssl = new SslOption { Enabled = true, ServerName = broker.Host };
            if (!string.IsNullOrWhiteSpace(_options.CaCertificatePath))
            {
                var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_options.CaCertificatePath, cancellationToken));
                factory.Ssl.CertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(certificate, errors, ca);
            }
        }

        return await factory.CreateConnectionAsync(cancellationToken);
    }

    /// <summary>The broker's certificate names its host and chains to the private CA alone (as the bus checks it).</summary>
    private static bool ChainsTo(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
