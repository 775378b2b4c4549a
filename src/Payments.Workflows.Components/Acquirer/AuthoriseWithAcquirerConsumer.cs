using MassTransit;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>Asks the acquirer through the resilience pipeline and publishes its answer back to the payment saga.</summary>
internal sealed class AuthoriseWithAcquirerConsumer(
    IAcquirer acquirer,
    ResiliencePipelineProvider<string> pipelines,
    ILogger<AuthoriseWithAcquirerConsumer> logger) : IConsumer<RequestAcquirerAuthorisation>
{
    public async Task Consume(ConsumeContext<RequestAcquirerAuthorisation> context)
    {
        var pipeline = pipelines.GetPipeline(AcquirerResilience.PipelineName);
        var decision = await pipeline.ExecuteAsync(
            static async (state, ct) => await state.acquirer.Authorise(state.Message, ct).ConfigureAwait(false),
            (acquirer, context.Message),
            context.CancellationToken).ConfigureAwait(false);

        logger.LogInformation("Acquirer {Decision} payment {PaymentId}", decision.Approved ? "approved" : "declined", context.Message.PaymentId);

        await context.Publish(new AcquirerAuthorisationCompleted
        {
            PaymentId = context.Message.PaymentId,
            Approved = decision.Approved,
            AcquirerReference = decision.Reference,
            DeclineCode = decision.DeclineCode,
            DeclineReason = decision.DeclineReason,
        }).ConfigureAwait(false);
    }
}
