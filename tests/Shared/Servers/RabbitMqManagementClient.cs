using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Payments.Workflows.Testing.Servers;

/// <summary>
/// The few calls of RabbitMQ's management HTTP API that tests need: set up and tear down virtual hosts,
/// see what the service declared, read queue depths, cut clients off (fault injection), and move messages with a shovel.
/// </summary>
public sealed class RabbitMqManagementClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="baseAddress">
    /// The management UI's address, e.g. http://127.0.0.1:15672/ (with any management.path_prefix; user info is ignored).
    /// </param>
    public RabbitMqManagementClient(Uri baseAddress, string user, string password)
    {
        User = user;
        _http = new HttpClient
        {
            BaseAddress = new UriBuilder(baseAddress)
            {
                UserName = string.Empty,
                Password = string.Empty,
                Path = baseAddress.AbsolutePath.TrimEnd('/') + "/api/",
            }.Uri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The management user, who also gets full permissions on the virtual hosts created here.</summary>
    public string User { get; }

    public async Task CreateVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync($"vhosts/{Escape(virtualHost)}", new { }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    public async Task SetPermissionsAsync(string virtualHost, string user, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync(
            $"permissions/{Escape(virtualHost)}/{Escape(user)}",
            new { configure = ".*", write = ".*", read = ".*" },
            cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Sets a user's permissions on a virtual host: regular expressions over exchange and queue names.</summary>
    public async Task SetPermissionsAsync(string virtualHost, string user, string configure, string write, string read,
        CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync(
            $"permissions/{Escape(virtualHost)}/{Escape(user)}", new { configure, write, read }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Creates (or updates) a user with a password and tags ("" for none, or e.g. "monitoring").</summary>
    public async Task CreateUserAsync(string user, string password, string tags = "", CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync($"users/{Escape(user)}", new { password, tags }, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Deletes a user; a missing one is not an error.</summary>
    public async Task DeleteUserAsync(string user, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync($"users/{Escape(user)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public async Task<bool> VirtualHostExistsAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"vhosts/{Escape(virtualHost)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    /// <summary>Deletes a virtual host and everything in it; a missing one is not an error.</summary>
    public async Task DeleteVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync($"vhosts/{Escape(virtualHost)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public Task<IReadOnlyList<RabbitMqQueue>> GetQueuesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        GetListAsync<RabbitMqQueue>($"queues/{Escape(virtualHost)}", cancellationToken);

    public Task<IReadOnlyList<RabbitMqExchange>> GetExchangesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        GetListAsync<RabbitMqExchange>($"exchanges/{Escape(virtualHost)}", cancellationToken);

    public Task<IReadOnlyList<RabbitMqBinding>> GetBindingsAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        GetListAsync<RabbitMqBinding>($"bindings/{Escape(virtualHost)}", cancellationToken);

    /// <summary>The queue, or null when it does not exist.</summary>
    public async Task<RabbitMqQueue?> GetQueueAsync(string virtualHost, string queue, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"queues/{Escape(virtualHost)}/{Escape(queue)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<RabbitMqQueue>(cancellationToken);
    }

    /// <summary>
    /// Ready plus unacknowledged messages as the management statistics last sampled them; null before the first
    /// sample. The figure lags the queue by a few seconds (a quorum queue reports every 5 s), so wait for a count
    /// rather than read it once; for an exact count at this instant use AMQP (<c>QueueDeclarePassiveAsync</c>).
    /// </summary>
    public async Task<long?> GetQueueMessageCountAsync(string virtualHost, string queue, CancellationToken cancellationToken = default)
    {
        var found = await GetQueueAsync(virtualHost, queue, cancellationToken)
            ?? throw new InvalidOperationException($"Queue '{queue}' does not exist in virtual host '{virtualHost}'.");
        return found.Messages;
    }

    /// <summary>
    /// Force-closes every client connection to the virtual host and returns how many were closed. The
    /// management database learns of a new connection within a statistics interval, so a connection opened
    /// a moment ago may not be seen yet.
    /// </summary>
    public async Task<int> CloseConnectionsAsync(string virtualHost, string reason = "closed by test", CancellationToken cancellationToken = default)
    {
        var connections = await GetListAsync<RabbitMqConnection>("connections", cancellationToken);
        var closed = 0;
        foreach (var connection in connections.Where(c => c.VirtualHost == virtualHost))
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"connections/{Escape(connection.Name)}");
            request.Headers.Add("X-Reason", reason);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            closed++;
        }

        return closed;
    }

    /// <summary>
    /// Moves the messages <paramref name="queue"/> holds now to <paramref name="destination"/> in the same virtual host,
    /// as the UI's "Move messages" does: a dynamic shovel named "Move from {queue}" that acknowledges at the source
    /// once the destination confirmed, and deletes itself after that many messages. Returns the shovel's name.
    /// </summary>
    /// <exception cref="ServerUnavailableException">The broker has no shovel plugin enabled.</exception>
    public async Task<string> MoveMessagesAsync(string virtualHost, string queue, string destination, CancellationToken cancellationToken = default)
    {
        var name = $"Move from {queue}";
        var local = "amqp:///" + Escape(virtualHost);
        var shovel = new Dictionary<string, object>
        {
            ["src-protocol"] = "amqp091",
            ["src-uri"] = local,
            ["src-queue"] = queue,
            ["src-prefetch-count"] = 1000,
            ["src-delete-after"] = "queue-length",
            ["dest-protocol"] = "amqp091",
            ["dest-uri"] = local,
            ["dest-queue"] = destination,
            ["dest-add-forward-headers"] = false,
            ["ack-mode"] = "on-confirm",
        };
        using var response = await _http.PutAsJsonAsync($"parameters/shovel/{Escape(virtualHost)}/{Escape(name)}", new { value = shovel }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Contains("shovel", StringComparison.OrdinalIgnoreCase) || response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ServerUnavailableException(
                    $"RabbitMQ at {BaseAddress} cannot create a shovel ({(int)response.StatusCode}: {body}): enable rabbitmq_shovel and " +
                    "rabbitmq_shovel_management (infra/rabbitmq/enabled_plugins does; run `bash infra/scripts/start-rabbitmq.sh`).");
            }
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return name;
    }

    /// <summary>Whether the dynamic shovel <paramref name="name"/> still exists (a "Move messages" shovel deletes itself when done).</summary>
    public async Task<bool> ShovelExistsAsync(string virtualHost, string name, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"parameters/shovel/{Escape(virtualHost)}/{Escape(name)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, cancellationToken);
        return true;
    }

    public void Dispose() => _http.Dispose();

    private async Task<IReadOnlyList<T>> GetListAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<T>>(cancellationToken) ?? [];
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"RabbitMQ management API {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} " +
                $"answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}",
                inner: null,
                response.StatusCode);
        }
    }
}
