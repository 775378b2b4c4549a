using MassTransit;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Tests.Authorisation;

public sealed class PaymentPartitioningTests
{
    [Fact]
    public void Every_message_type_the_saga_consumes_is_partitioned_by_payment()
    {
        var machine = new PaymentStateMachine(Options.Create(new PaymentsOptions()), TimeProvider.System);

        var consumed = machine.Events
            .Select(e => e.GetType().GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>)).GetGenericArguments()[0])
            .Distinct();

        Assert.Equal(consumed.OrderBy(t => t.Name), PaymentPartitioning.MessageTypes.OrderBy(t => t.Name));
    }
}
