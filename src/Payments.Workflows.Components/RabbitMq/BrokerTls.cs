using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Payments.Workflows.Components.RabbitMq;

/// <summary>
/// TLS to the broker (an amqps:// URI): the certificate must name the URI's host and chain to a trusted root, the
/// system's or the private CA of <c>Payments__RabbitMq__CaCertificatePath</c>. Enforced explicitly rather than left to
/// MassTransit's and the RabbitMQ client's defaults for acceptable policy errors.
/// </summary>
internal static class BrokerTls
{
    private const SslPolicyErrors Enforced =
        SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable;

    public static bool IsTls(Uri broker) => broker.Scheme is "amqps" or "rabbitmqs";

    public static void Configure(IRabbitMqSslConfigurator ssl, Uri broker, string? caCertificatePath)
    {
        ssl.ServerName = broker.Host;
        ssl.EnforcePolicyErrors(Enforced);
        if (!string.IsNullOrWhiteSpace(caCertificatePath))
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caCertificatePath));
            ssl.CertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, ca);
        }
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> names the host (no name mismatch in <paramref name="errors"/>) and chains
    /// to <paramref name="ca"/> alone, not to any root of the system's store.
    /// </summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
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
