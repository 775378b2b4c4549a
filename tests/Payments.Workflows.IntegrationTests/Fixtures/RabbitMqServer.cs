using System.Collections.Concurrent;
using Testcontainers.RabbitMq;

namespace Payments.Workflows.IntegrationTests.Fixtures;

/// <summary>
/// The RabbitMQ broker of a test run: <c>PAYMENTS_TEST_RABBITMQ</c> (an amqp:// URI) when set, with the management
/// API at <c>PAYMENTS_TEST_RABBITMQ_MANAGEMENT</c> or else the same host on port 15672 with the URI's credentials;
/// otherwise a Testcontainers container when a Docker engine answers. Each test takes its own virtual host.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PAYMENTS_TEST_RABBITMQ";
    public const string ManagementEnvironmentVariable = "PAYMENTS_TEST_RABBITMQ_MANAGEMENT";

    public const string UnavailableMessage =
        "RabbitMQ is not available: set " + EnvironmentVariable + " (and optionally " + ManagementEnvironmentVariable +
        "; e.g. run `bash infra/scripts/start-services.sh`) or start a Docker engine for Testcontainers.";

    private const int ManagementPort = 15672;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private readonly Func<CancellationToken, Task<RabbitMqContainer?>> _startContainer;
    private readonly string? _configuredAmqpUri;
    private readonly string? _configuredManagementUri;
    private readonly Lazy<Task<Broker>> _broker;
    private readonly ConcurrentDictionary<string, byte> _virtualHosts = new();
    private RabbitMqContainer? _container;

    public RabbitMqServer()
        : this(
            Environment.GetEnvironmentVariable(EnvironmentVariable),
            Environment.GetEnvironmentVariable(ManagementEnvironmentVariable),
            StartContainerAsync)
    {
    }

    internal RabbitMqServer(
        string? configuredAmqpUri,
        string? configuredManagementUri,
        Func<CancellationToken, Task<RabbitMqContainer?>> startContainer)
    {
        _configuredAmqpUri = string.IsNullOrWhiteSpace(configuredAmqpUri) ? null : configuredAmqpUri;
        _configuredManagementUri = string.IsNullOrWhiteSpace(configuredManagementUri) ? null : configuredManagementUri;
        _startContainer = startContainer;
        _broker = new Lazy<Task<Broker>>(ConnectAsync);
    }

    /// <summary>The broker's amqp:// URI for the default virtual host "/". Prefer <see cref="CreateVirtualHostAsync"/>.</summary>
    public async Task<Uri> GetAmqpUriAsync(CancellationToken cancellationToken = default) =>
        (await _broker.Value.WaitAsync(cancellationToken)).AmqpUri;

    public async Task<RabbitMqManagementClient> GetManagementClientAsync(CancellationToken cancellationToken = default) =>
        (await _broker.Value.WaitAsync(cancellationToken)).Management;

    /// <summary>
    /// Creates a virtual host named <c>{prefix}-{random}</c>, gives the broker's user full permissions on it and
    /// returns its amqp:// URI. It is deleted by <see cref="DeleteVirtualHostAsync"/> or when the run ends.
    /// </summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var broker = await _broker.Value.WaitAsync(cancellationToken);
        var name = UniqueName.Create(prefix, '-');
        _virtualHosts.TryAdd(name, 0);
        await broker.Management.CreateVirtualHostAsync(name, cancellationToken);
        await broker.Management.SetPermissionsAsync(name, broker.Management.User, cancellationToken);
        return new UriBuilder(broker.AmqpUri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public async Task DeleteVirtualHostAsync(Uri amqpUri, CancellationToken cancellationToken = default)
    {
        var name = VirtualHostOf(amqpUri);
        if (!_virtualHosts.ContainsKey(name))
        {
            throw new ArgumentException($"Virtual host '{name}' was not created by this fixture; refusing to delete it.", nameof(amqpUri));
        }

        var broker = await _broker.Value.WaitAsync(cancellationToken);
        await broker.Management.DeleteVirtualHostAsync(name, cancellationToken);
        _virtualHosts.TryRemove(name, out _);
    }

    /// <summary>The virtual host an amqp:// URI names ("/" when its path is empty or "/").</summary>
    public static string VirtualHostOf(Uri amqpUri)
    {
        var path = amqpUri.AbsolutePath.TrimStart('/');
        return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker.IsValueCreated && _broker.Value.IsCompletedSuccessfully)
        {
            var broker = _broker.Value.Result;
            foreach (var name in _virtualHosts.Keys)
            {
                await broker.Management.DeleteVirtualHostAsync(name, CancellationToken.None);
            }

            broker.Management.Dispose();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private async Task<Broker> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        Uri amqpUri, managementUri;
        if (_configuredAmqpUri is not null)
        {
            amqpUri = ParseUri(EnvironmentVariable, _configuredAmqpUri);
            managementUri = _configuredManagementUri is not null
                ? ParseUri(ManagementEnvironmentVariable, _configuredManagementUri)
                : new UriBuilder(Uri.UriSchemeHttp, amqpUri.Host, ManagementPort).Uri;
        }
        else
        {
            _container = await _startContainer(timeout.Token) ?? throw new ServerUnavailableException(UnavailableMessage);
            amqpUri = new Uri(_container.GetConnectionString());
            managementUri = new UriBuilder(Uri.UriSchemeHttp, _container.Hostname, _container.GetMappedPublicPort(ManagementPort)).Uri;
        }

        // Credentials: the management URI's own, else the amqp URI's (RabbitMQ's defaults when neither has any).
        var (user, password) = Credentials(managementUri.UserInfo.Contains(':', StringComparison.Ordinal) ? managementUri : amqpUri);
        var management = new RabbitMqManagementClient(managementUri, user, password);
        try
        {
            if (!await management.VirtualHostExistsAsync("/", timeout.Token))
            {
                throw new ServerUnavailableException($"RabbitMQ at {management.BaseAddress} has no virtual host '/'.");
            }
        }
        catch (HttpRequestException exception)
        {
            management.Dispose();
            throw new ServerUnavailableException(
                $"The RabbitMQ management API at {management.BaseAddress} does not answer for user '{user}' ({exception.Message}); " +
                $"check {EnvironmentVariable}/{ManagementEnvironmentVariable} or run `bash infra/scripts/start-services.sh`.",
                exception);
        }

        return new Broker(amqpUri, management);
    }

    private static Uri ParseUri(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new ServerUnavailableException($"{variable} is not an absolute URI: '{value}'.");

    private static (string User, string Password) Credentials(Uri uri)
    {
        var parts = uri.UserInfo.Split(':', 2);
        return parts[0].Length == 0
            ? ("guest", "guest")
            : (Uri.UnescapeDataString(parts[0]), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }

    private static Task<RabbitMqContainer?> StartContainerAsync(CancellationToken cancellationToken) =>
        DockerEngine.TryStartAsync(
            () => new RabbitMqBuilder("rabbitmq:3.10-management")
                .WithUsername("payments")
                .WithPassword("payments")
                .WithPortBinding(ManagementPort, assignRandomHostPort: true)
                .Build(),
            "RabbitMQ",
            cancellationToken);

    private sealed record Broker(Uri AmqpUri, RabbitMqManagementClient Management);
}
