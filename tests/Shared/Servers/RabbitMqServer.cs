using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Testcontainers.RabbitMq;

namespace Payments.Workflows.Testing.Servers;

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

    public const string RestartUnavailableMessage =
        "Restarting the broker needs a local RabbitMQ node managed by rabbitmqctl: start one with " +
        "`bash infra/scripts/start-rabbitmq.sh` (as root) and point " + EnvironmentVariable + " at it " +
        "(`eval \"$(bash infra/scripts/start-services.sh)\"`).";

    private const int ManagementPort = 15672;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RabbitMqCtlTimeout = TimeSpan.FromMinutes(2);

    private readonly Func<CancellationToken, Task<RabbitMqContainer?>> _startContainer;
    private readonly string? _configuredAmqpUri;
    private readonly string? _configuredManagementUri;
    private readonly Lazy<Task<Broker>> _broker;
    private readonly ConcurrentDictionary<string, byte> _virtualHosts = new();

    // Per-vhost users created here (user name → virtual host), deleted with their virtual host.
    private readonly ConcurrentDictionary<string, string> _users = new();
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
    /// Creates a virtual host named <c>{prefix}-{random}</c> and a service user for it, <c>{name}-service</c>, as
    /// <c>payments-service</c> is on the virtual host payments: full permissions on this virtual host only, no tags
    /// (so no management API, no users, no policies). Returns the virtual host's amqp:// URI with that user's
    /// credentials; the broker's administrator also gets full permissions on it. Both are deleted by
    /// <see cref="DeleteVirtualHostAsync"/> or when the run ends.
    /// </summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var broker = await _broker.Value.WaitAsync(cancellationToken);
        var name = UniqueName.Create(prefix, '-');
        _virtualHosts.TryAdd(name, 0);
        await broker.Management.CreateVirtualHostAsync(name, cancellationToken);
        await broker.Management.SetPermissionsAsync(name, broker.Management.User, cancellationToken);
        return await CreateUserAsync(broker, name, "service", new BrokerPermission(name, ".*", ".*", ".*"), cancellationToken);
    }

    /// <summary>
    /// A publisher user for the virtual host of <paramref name="virtualHost"/>, <c>{name}-publisher</c>, with exactly
    /// the permissions <c>infra/rabbitmq/definitions.json</c> gives <c>payments-publisher</c> on the virtual host
    /// payments. Returns the virtual host's amqp:// URI with its credentials.
    /// </summary>
    public async Task<Uri> CreatePublisherAsync(Uri virtualHost, CancellationToken cancellationToken = default)
    {
        var broker = await _broker.Value.WaitAsync(cancellationToken);
        var name = VirtualHostOf(virtualHost);
        var permission = BrokerDefinitions.PermissionsOf(BrokerDefinitions.PublisherUser).Single(p => p.VirtualHost == "payments");
        return await CreateUserAsync(broker, name, "publisher", permission with { VirtualHost = name }, cancellationToken);
    }

    private async Task<Uri> CreateUserAsync(Broker broker, string virtualHost, string role, BrokerPermission permission,
        CancellationToken cancellationToken)
    {
        var user = $"{virtualHost}-{role}";
        var password = Guid.NewGuid().ToString("N");
        _users.TryAdd(user, virtualHost);
        await broker.Management.CreateUserAsync(user, password, cancellationToken: cancellationToken);
        await broker.Management.SetPermissionsAsync(permission.VirtualHost, user, permission.Configure, permission.Write, permission.Read,
            cancellationToken);
        return new UriBuilder(broker.AmqpUri) { UserName = user, Password = password, Path = "/" + Uri.EscapeDataString(virtualHost) }.Uri;
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
        foreach (var user in _users.Where(u => u.Value == name).Select(u => u.Key).ToList())
        {
            await broker.Management.DeleteUserAsync(user, cancellationToken);
            _users.TryRemove(user, out _);
        }
    }

    /// <summary>
    /// Restarts the broker's RabbitMQ application on its node (<c>rabbitmqctl stop_app</c>, then <c>start_app</c> and
    /// <c>await_startup</c>), running <paramref name="whileStopped"/> in between. Durable queues and persistent
    /// messages survive it; every connection is closed. The broker is started again whatever
    /// <paramref name="whileStopped"/> does. Only a local broker managed by rabbitmqctl can be restarted.
    /// </summary>
    /// <exception cref="ServerUnavailableException">The broker is not local, or rabbitmqctl is missing.</exception>
    public async Task RestartAsync(Func<CancellationToken, Task> whileStopped, CancellationToken cancellationToken)
    {
        var broker = await _broker.Value.WaitAsync(cancellationToken);
        if (_container is not null || !IsLoopback(broker.AmqpUri.Host))
        {
            throw new ServerUnavailableException(
                $"{RestartUnavailableMessage} The broker of this run is at {broker.AmqpUri.Host}{(_container is null ? "" : " (a container)")}.");
        }

        if (FindOnPath("rabbitmqctl") is not { } rabbitMqCtl)
        {
            throw new ServerUnavailableException($"{RestartUnavailableMessage} rabbitmqctl is not on the PATH.");
        }

        try
        {
            await RunAsync(rabbitMqCtl, cancellationToken, "stop_app");
            await whileStopped(cancellationToken);
        }
        finally
        {
            // Never leave the broker down for the rest of the run, even when the test failed or was cancelled
            // (start_app on a running node does nothing).
            await RunAsync(rabbitMqCtl, CancellationToken.None, "start_app");
            await RunAsync(rabbitMqCtl, CancellationToken.None, "await_startup", "--timeout", "60");
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs a command with no input and a timeout; fails with its output when it fails.</summary>
    private static async Task RunAsync(string program, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = $"{Path.GetFileName(program)} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"`{command}` did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RabbitMqCtlTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish within {RabbitMqCtlTimeout.TotalSeconds:0}s (or was cancelled).");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` failed with exit code {process.ExitCode}: {await error}{await output}");
        }
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

            foreach (var user in _users.Keys)
            {
                await broker.Management.DeleteUserAsync(user, CancellationToken.None);
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
