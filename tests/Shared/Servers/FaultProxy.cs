using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Payments.Workflows.Testing.Servers;

/// <summary>
/// A TCP relay between a client under test and a shared server (PostgreSQL, RabbitMQ) that the test can break
/// without touching the server: <see cref="Refuse"/> is an outage (open connections are reset, new ones are
/// reset as soon as they are accepted), <see cref="Restore"/> ends it, <see cref="CutAll"/> resets the open
/// connections once and keeps accepting. It listens on 127.0.0.1 on a free port until disposed.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Relay> _relays = new();
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private long _nextRelay;
    private long _accepted;
    private long _refused;
    private bool _refusing;
    private int _disposed;

    private FaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the proxy listens on, chosen by the operating system.</summary>
    public int Port { get; }

    /// <summary>True between <see cref="Refuse"/> and <see cref="Restore"/>.</summary>
    public bool IsRefusing
    {
        get
        {
            lock (_gate)
                return _refusing;
        }
    }

    /// <summary>Connections relayed to the target now.</summary>
    public int OpenConnections => _relays.Count;

    /// <summary>Connections relayed to the target since the proxy started.</summary>
    public long AcceptedConnections => Interlocked.Read(ref _accepted);

    /// <summary>Connections reset on arrival because the proxy was refusing or the target did not answer.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    /// <summary>Starts a proxy to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(string targetHost, int targetPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHost);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetPort);
        return new FaultProxy(targetHost, targetPort);
    }

    /// <summary>A proxy to the server a PostgreSQL connection string names (port 5432 when it names none).</summary>
    public static FaultProxy ForPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return Start(builder.Host ?? "127.0.0.1", builder.Port);
    }

    /// <summary>A proxy to the broker an amqp:// URI names (port 5672 when it names none).</summary>
    public static FaultProxy ForAmqp(Uri amqpUri) => Start(amqpUri.Host, amqpUri.IsDefaultPort || amqpUri.Port < 0 ? 5672 : amqpUri.Port);

    /// <summary><paramref name="connectionString"/> with its host and port replaced by the proxy's.</summary>
    public string Route(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = Host, Port = Port }.ConnectionString;

    /// <summary><paramref name="amqpUri"/> (credentials, virtual host and all) with its host and port replaced by the proxy's.</summary>
    public Uri Route(Uri amqpUri) => new UriBuilder(amqpUri) { Host = Host, Port = Port }.Uri;

    /// <summary>An outage: resets every open connection, and every new one as soon as it is accepted, until <see cref="Restore"/>.</summary>
    /// <returns>How many open connections were reset.</returns>
    public int Refuse()
    {
        lock (_gate)
        {
            _refusing = true;
            return ResetOpen();
        }
    }

    /// <summary>Ends an outage: new connections are relayed again. Connections reset meanwhile stay reset.</summary>
    public void Restore()
    {
        lock (_gate)
            _refusing = false;
    }

    /// <summary>Resets every open connection (as a failed-over server or a broken link does) and keeps accepting new ones.</summary>
    /// <returns>How many were reset.</returns>
    public int CutAll()
    {
        lock (_gate)
            return ResetOpen();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;

        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] running;
        lock (_gate)
        {
            ResetOpen();
            running = [.. _relays.Values.Select(r => r.Running)];
        }

        await Task.WhenAll(running);
        _listener.Dispose();
        _stopping.Dispose();
    }

    // Under _gate, so a connection accepted while Refuse runs is either reset here or refused on arrival.
    private int ResetOpen()
    {
        var relays = _relays.Values.ToList();
        foreach (var relay in relays)
            relay.Reset();
        return relays.Count;
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection that died while it was being accepted; keep listening.
                continue;
            }

            _ = Task.Run(() => OpenAsync(client, stopping), CancellationToken.None);
        }
    }

    private async Task OpenAsync(Socket client, CancellationToken stopping)
    {
        if (IsRefusing)
        {
            Refused(client);
            return;
        }

        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, stopping);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            server.Dispose();
            Refused(client);
            return;
        }

        client.NoDelay = true;
        var relay = new Relay(client, server, stopping);
        var id = Interlocked.Increment(ref _nextRelay);
        lock (_gate)
        {
            // Checked again under the gate: Refuse may have run while the target connection was opening.
            if (_refusing || stopping.IsCancellationRequested)
            {
                relay.Reset();
                relay.Dispose();
                Interlocked.Increment(ref _refused);
                return;
            }

            _relays[id] = relay;
            Interlocked.Increment(ref _accepted);
            relay.Running = relay.RunAsync();
        }

        try
        {
            await relay.Running;
        }
        finally
        {
            _relays.TryRemove(id, out _);
            relay.Dispose();
        }
    }

    private void Refused(Socket client)
    {
        Interlocked.Increment(ref _refused);
        Abort(client);
    }

    // An RST rather than a FIN: the client sees "connection reset", as when a server or a link dies.
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed; nothing to reset.
        }

        socket.Dispose();
    }

    /// <summary>One client connection and its connection to the target, copied both ways until either ends or is reset.</summary>
    private sealed class Relay(Socket client, Socket server, CancellationToken stopping) : IDisposable
    {
        private readonly CancellationTokenSource _reset = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private int _aborted;

        public Task Running { get; set; } = Task.CompletedTask;

        public async Task RunAsync()
        {
            var upstream = PumpAsync(client, server, _reset.Token);
            var downstream = PumpAsync(server, client, _reset.Token);
            var first = await Task.WhenAny(upstream, downstream);
            if (first.IsFaulted || first.IsCanceled)
                Reset();
            await Task.WhenAll(upstream.ContinueWith(static _ => { }, TaskScheduler.Default),
                downstream.ContinueWith(static _ => { }, TaskScheduler.Default));
            Reset();
        }

        public void Reset()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 1)
                return;
            try
            {
                _reset.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed by its own end; the sockets are closed already.
            }

            Abort(client);
            Abort(server);
        }

        public void Dispose()
        {
            Reset();
            _reset.Dispose();
        }

        // Copies until the source closes its side, then closes the same side towards the destination (a half-close).
        private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
        {
            var buffer = new byte[BufferSize];
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var sent = 0;
                while (sent < read)
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, cancellationToken);
            }
        }
    }
}
