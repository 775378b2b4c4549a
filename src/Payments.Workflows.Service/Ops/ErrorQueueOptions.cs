namespace Payments.Workflows.Service.Ops;

/// <summary>
/// Where the ops API finds the broker's error queues: the service's own AMQP URI (ConnectionStrings:RabbitMq) for
/// reading, replaying and deleting messages, and the management API (ConnectionStrings:RabbitMqManagement, e.g.
/// http://payments-ops:secret@rabbitmq:15672/, a user with the monitoring tag) for the list of queues.
/// </summary>
internal sealed class ErrorQueueOptions
{
    /// <summary>The service's broker, vhost included (ConnectionStrings:RabbitMq).</summary>
    public Uri? Broker { get; set; }

    /// <summary>ConnectionStrings:RabbitMqManagement as given: the management API with its credentials in the user info.</summary>
    public string? ManagementSetting { get; set; }

    /// <summary>The management API; null when not set or not an http(s) URI (which fails start-up).</summary>
    public Uri? Management =>
        Uri.TryCreate(ManagementSetting, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    public bool IsValid => string.IsNullOrWhiteSpace(ManagementSetting) || Management is not null;

    /// <summary>A private CA for an amqps:// broker (Payments:RabbitMq:CaCertificatePath), as the bus uses.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The broker's virtual host, as the AMQP URI names it ("/" when it names none).</summary>
    public string VirtualHost
    {
        get
        {
            var path = Broker?.AbsolutePath.TrimStart('/') ?? "";
            return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        }
    }
}
