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

        // The machine's events include its schedules' (the hold expiry's Received), so this is everything it consumes.
        var consumed = machine.Events.Select(MessageTypeOf).Distinct();

        // The same table the partitioner is registered from: a type missing here is also not partitioned.
        var partitioned = PaymentPartitioning.Messages.Select(m => m.MessageType);

        Assert.Equal(consumed.OrderBy(t => t.FullName, StringComparer.Ordinal), partitioned.OrderBy(t => t.FullName, StringComparer.Ordinal));
    }

    private static Type MessageTypeOf(Event e) =>
        e.GetType().GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>)).GetGenericArguments()[0];
}
