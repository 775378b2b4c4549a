namespace Payments.Workflows.Testing;

/// <summary>A broker user's permissions on one virtual host: the regular expressions of RabbitMQ's three kinds of access.</summary>
public sealed record BrokerPermission(string VirtualHost, string Configure, string Write, string Read);
