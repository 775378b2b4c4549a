namespace Payments.Workflows.Components.Authorisation;

public sealed class PaymentStateDefinition : SagaDefinition<PaymentState>
{
    /// <summary>The queue payment commands are sent to.</summary>
    public const string Name = "payment-state";

    /// <summary>
    /// Where commands for the saga are sent: the endpoint's exchange, which is bound to its queue. A <c>queue:</c>
    /// address would make every sender declare the queue, without the quorum and dead-letter arguments the endpoint
    /// declares it with, and RabbitMQ refuses the mismatch (PRECONDITION_FAILED).
    /// </summary>
    public static readonly Uri Address = new($"exchange:{Name}");

    public PaymentStateDefinition()
    {
        EndpointName = Name;
    }
}
