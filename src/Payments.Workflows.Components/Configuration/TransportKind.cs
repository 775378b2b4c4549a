namespace Payments.Workflows.Components.Configuration;

public enum TransportKind
{
    InMemory,
    RabbitMq,
}
