using MassTransit;

namespace Payments.Workflows.Components.Authorisation;

public sealed class PaymentStateDefinition : SagaDefinition<PaymentState>
{
    /// <summary>The queue payment commands are sent to.</summary>
    public const string Name = "payment-state";

    public static readonly Uri Address = new($"queue:{Name}");

    public PaymentStateDefinition()
    {
        EndpointName = Name;
    }
}
