using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using Payments.Workflows.Components.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Payments.Workflows.IntegrationTests.Tls;

/// <summary>
/// TLS on both hops against the local CA of <c>infra/scripts/make-tls.sh</c>: RabbitMQ's amqps:// listener and
/// PostgreSQL with <c>SSL Mode=VerifyFull</c>. The broker certificate is checked with the service's own rule
/// (<see cref="BrokerTls"/>): it must name the host and chain to the configured CA.
/// </summary>
public sealed class TransportTlsTests(RabbitMqServer rabbitMq, PostgresServer postgres)
{
    public const string AmqpsVariable = "PAYMENTS_TEST_RABBITMQ_TLS";
    public const string CaVariable = "PAYMENTS_TEST_TLS_CA";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_connects_over_amqps_when_the_certificate_names_the_host_and_chains_to_the_local_CA()
    {
        var (broker, ca) = await TlsBroker();
        using var trusted = ca;

        await using var connection = await Connect(broker, trusted, broker.Host);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation);
        var queue = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: Cancellation);
        await channel.BasicPublishAsync(string.Empty, queue.QueueName, "over tls"u8.ToArray(), Cancellation);
        var received = await Eventually.Matches(ct => channel.BasicGetAsync(queue.QueueName, autoAck: true, ct), r => r is not null,
            "the message back over amqps", Timeout, cancellationToken: Cancellation);

        Assert.True(connection.Endpoint.Ssl.Enabled);
        Assert.Equal("over tls", Encoding.UTF8.GetString(received!.Body.Span));
    }

    [Fact]
    public async Task A_client_refuses_the_broker_certificate_when_it_expects_another_host_name()
    {
        var (broker, ca) = await TlsBroker();
        using var trusted = ca;

        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => Connect(broker, trusted, "payments.example"));

        Assert.Contains("RemoteCertificateValidationCallback", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_trusts_another_CA_refuses_the_broker_certificate()
    {
        var (broker, ca) = await TlsBroker();
        ca.Dispose();
        using var otherCa = SelfSignedCa("CN=Some other CA");

        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => Connect(broker, otherCa, broker.Host));

        Assert.Contains("RemoteCertificateValidationCallback", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_runs_over_amqps_and_PostgreSQL_with_SSL_Mode_VerifyFull()
    {
        var (broker, ca) = await TlsBroker();
        ca.Dispose();
        var caPath = RequireTls().CaPath;
        var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("tls", Cancellation))
        {
            Host = "localhost",
            SslMode = SslMode.VerifyFull,
            RootCertificate = caPath,
        }.ConnectionString;
        var settings = new Dictionary<string, string?>
        {
            ["Payments:RabbitMq:CaCertificatePath"] = caPath,
            // The host runs as Production: both hops pass the insecure-transport check on their own.
            ["Payments:AllowInsecureTransport"] = "false",
        };
        var authorise = RabbitMq.ServiceOnRabbitMq.Authorise(25.00m);

        await using (var service = await ServiceHost.Start(broker, database, settings))
        {
            await service.Send(authorise);
            await service.WaitForState(authorise.PaymentId, "Authorised");
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        Assert.Equal(true, await command.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task PostgreSQL_refuses_VerifyFull_when_the_client_trusts_another_CA()
    {
        RequireTls();
        using var otherCa = SelfSignedCa("CN=Some other CA");
        var otherCaPath = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(otherCaPath, otherCa.ExportCertificatePem(), Cancellation);
        try
        {
            var database = new NpgsqlConnectionStringBuilder(await postgres.GetConnectionStringAsync(Cancellation))
            {
                Host = "localhost",
                SslMode = SslMode.VerifyFull,
                RootCertificate = otherCaPath,
            }.ConnectionString;
            await using var connection = new NpgsqlConnection(database);

            var refused = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync(Cancellation));

            Assert.Contains("certificate", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(otherCaPath);
        }
    }

    /// <summary>A virtual host of this test reached over amqps:// (its service user), and the local CA.</summary>
    private async Task<(Uri Broker, X509Certificate2 Ca)> TlsBroker()
    {
        var (amqps, caPath) = RequireTls();
        var plain = await rabbitMq.CreateVirtualHostAsync("tls", Cancellation);
        var broker = new UriBuilder(plain) { Scheme = "amqps", Host = amqps.Host, Port = amqps.Port }.Uri;
        return (broker, X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caPath, Cancellation)));
    }

    /// <summary>The broker's amqps:// URI and the CA's PEM file; skips the test when the run has no TLS servers.</summary>
    private static (Uri Amqps, string CaPath) RequireTls()
    {
        var amqps = Environment.GetEnvironmentVariable(AmqpsVariable);
        var caPath = Environment.GetEnvironmentVariable(CaVariable);
        if (string.IsNullOrWhiteSpace(amqps) || string.IsNullOrWhiteSpace(caPath))
        {
            Assert.Skip($"{AmqpsVariable} and {CaVariable} are not set: run `eval \"$(bash infra/scripts/start-services.sh)\"` " +
                "(the local servers serve TLS with a certificate of the CA it prints).");
        }

        return (new Uri(amqps), caPath);
    }

    private static Task<IConnection> Connect(Uri broker, X509Certificate2 trusted, string expectedHost)
    {
        var factory = new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = false };
        factory.Ssl.ServerName = expectedHost;
        factory.Ssl.CertificateValidationCallback = (_, certificate, _, errors) => BrokerTls.IsTrusted(certificate, errors, trusted);
        return factory.CreateConnectionAsync(Cancellation);
    }

    private static X509Certificate2 SelfSignedCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
