using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Identifiers;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Messaging.Persistence;
using Polly.Registry;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>
/// Asks the acquirer and sends its answer back to the payment saga, holding no database transaction while the
/// acquirer thinks. Its endpoint has no inbox or outbox; it is idempotent on its own terms instead:
/// <list type="bullet">
/// <item>a payment no longer waiting for the acquirer (answered already, or declined at its deadline) is not asked again:
/// its row no longer holds the card token, which is read from there, never from the message;</item>
/// <item>the acquirer takes the PaymentId as its idempotency key, so asking twice gets the first answer twice;</item>
/// <item>the answer's MessageId comes from the PaymentId, so the saga's inbox drops a second copy of it.</item>
/// </list>
/// The answer is committed to the outbox table (a short transaction of its own) before the request is acknowledged:
/// whatever the transport, even one that keeps messages in memory only, an answer given is never lost.
/// </summary>
internal sealed class AuthoriseWithAcquirerConsumer(
    IAcquirer acquirer,
    ResiliencePipelineProvider<string> pipelines,
    PaymentsDbContext dbContext,
    IServiceScopeFactory scopeFactory,
    TimeProvider clock,
    ILogger<AuthoriseWithAcquirerConsumer> logger) : IConsumer<RequestAcquirerAuthorisation>
{
    /// <summary>
    /// How far ahead an unsent answer can be due: answers are never scheduled, and a failed send is due again within
    /// minutes. Reading only rows due before this keeps the lookup on the due-time index, away from the hold expiries
    /// (one per authorised payment, due days ahead) that make up most of the table. An answer missed past it only
    /// means the acquirer is asked again, gives the same answer, and the saga's inbox drops the second copy.
    /// </summary>
    private static readonly TimeSpan AnswerDueWithin = TimeSpan.FromHours(1);

    public async Task Consume(ConsumeContext<RequestAcquirerAuthorisation> context)
    {
        var request = context.Message;
        // The card token lives in the payment's row until the acquirer has answered, never in this message.
        var payment = await dbContext.Payments.AsNoTracking()
            .Where(p => p.CorrelationId == request.PaymentId)
            .Select(p => new { p.CurrentState, p.CardToken })
            .SingleOrDefaultAsync(context.CancellationToken).ConfigureAwait(false);
        if (payment?.CurrentState != nameof(PaymentStateMachine.Authorising) || string.IsNullOrEmpty(payment.CardToken))
        {
            logger.LogInformation("Payment {PaymentId} is {State}, no longer waiting for the acquirer: not asked", request.PaymentId,
                payment?.CurrentState ?? "unknown");
            return;
        }

        // Answered already, by a copy of this request whose acknowledgement was lost (an instance stopped just after
        // committing the answer): the answer waits in the outbox, or the saga has consumed it.
        var answerId = AnswerId(request.PaymentId);
        var dueBefore = clock.GetUtcNow().UtcDateTime + AnswerDueWithin;
        if (await dbContext.Set<OutboxMessage>().AnyAsync(m => m.DueAt <= dueBefore && m.MessageId == answerId, context.CancellationToken).ConfigureAwait(false)
            || await dbContext.Set<InboxState>().AnyAsync(m => m.MessageId == answerId, context.CancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Payment {PaymentId} has its acquirer answer already: not asked again", request.PaymentId);
            return;
        }

        // Not the consume token: a call under way finishes (within the pipeline's timeouts) while the host stops, so
        // a restart does not ask the acquirer a second time.
        var pipeline = pipelines.GetPipeline(AcquirerResilience.PipelineName);
        var decision = await pipeline.ExecuteAsync(
            static async (state, ct) => await state.acquirer.Authorise(state.request, state.cardToken, ct).ConfigureAwait(false),
            (acquirer, request, cardToken: payment.CardToken),
            CancellationToken.None).ConfigureAwait(false);

        logger.LogInformation("Acquirer {Decision} payment {PaymentId}", decision.Approved ? "approved" : "declined", request.PaymentId);

        await PublishThroughOutbox(new AcquirerAuthorisationCompleted
        {
            PaymentId = request.PaymentId,
            Approved = decision.Approved,
            AcquirerReference = decision.Reference,
            DeclineCode = decision.DeclineCode,
            DeclineReason = decision.DeclineReason,
        }).ConfigureAwait(false);
    }

    // A scope of its own has no consume context, so its publish endpoint is the bus outbox: the answer becomes an
    // outbox row committed by SaveChanges, and the delivery service sends it. Not cancelled by a stop, as the call was not.
    private async Task PublishThroughOutbox(AcquirerAuthorisationCompleted answer)
    {
        var scope = scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publisher.Publish(answer, sent => sent.MessageId = AnswerId(answer.PaymentId), CancellationToken.None).ConfigureAwait(false);
            await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public static Guid AnswerId(Guid paymentId) => NameBasedGuid.From($"acquirer-answer:{paymentId:N}");
}
