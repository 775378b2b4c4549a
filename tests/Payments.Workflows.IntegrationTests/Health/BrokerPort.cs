using System.Net;
using System.Net.Sockets;

namespace Payments.Workflows.IntegrationTests.Health;

/// <summary>
/// A local port the test owns in front of the shared broker: nothing listens on it until <see cref="Open"/>, which
/// forwards its connections to the broker. The service pointed at it sees a broker that is down, then comes.
/// </summary>
public sealed class BrokerPort : IAsyncDisposable
{
    private readonly string _brokerHost;
    private readonly int _brokerPort;
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task? _accepting;

    public BrokerPort(Uri broker)
    {
        _brokerHost = broker.Host;
        _brokerPort = broker.Port;

        // A port that was free a moment ago; nothing of ours listens on it until Open.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary><paramref name="broker"/> with its port replaced by this one.</summary>
    public Uri Through(Uri broker) => new UriBuilder(broker) { Host = "127.0.0.1", Port = Port }.Uri;

    /// <summary>The broker "comes": connections to the port now reach it.</summary>
    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = Accept(_listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        if (_accepting is not null)
            await _accepting;
        _stop.Dispose();
    }

    private async Task Accept(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Forward(client);
        }
    }

    private async Task Forward(TcpClient client)
    {
        using (client)
        using (var broker = new TcpClient())
        {
            try
            {
                await broker.ConnectAsync(_brokerHost, _brokerPort, _stop.Token);
                var fromClient = client.GetStream();
                var fromBroker = broker.GetStream();
                await Task.WhenAny(fromClient.CopyToAsync(fromBroker, _stop.Token), fromBroker.CopyToAsync(fromClient, _stop.Token));
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side went away: the connection ends, as it would with the broker itself.
            }
        }
    }
}
