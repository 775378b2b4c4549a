using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Acquirer;

internal sealed class AuthoriseWithAcquirerConsumerDefinition : ConsumerDefinition<AuthoriseWithAcquirerConsumer>
{
    public AuthoriseWithAcquirerConsumerDefinition(IOptions<PaymentsOptions> options)
    {
        EndpointName = AcquirerEndpoint.Name;
        ConcurrentMessageLimit = options.Value.Acquirer.ConcurrentMessageLimit;
    }
}
