using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Contracts;

namespace Payments.Workflows.Components.Status;

/// <summary>Answers status requests from saga state, read without tracking and without the saga's row lock.</summary>
public sealed class GetPaymentStatusConsumer(PaymentsDbContext dbContext) : IConsumer<GetPaymentStatus>
{
    public async Task Consume(ConsumeContext<GetPaymentStatus> context)
    {
        var payment = await dbContext.Payments.AsNoTracking()
            .Where(p => p.CorrelationId == context.Message.PaymentId)
            .Select(p => new PaymentStatus
            {
                PaymentId = p.CorrelationId,
                State = p.CurrentState,
                MerchantId = p.MerchantId,
                Currency = p.Currency,
                AuthorisedAmount = p.AuthorisedAmount,
                CapturedAmount = p.CapturedAmount,
                RefundedAmount = p.RefundedAmount,
                ExpiresAt = p.ExpiresAt == null ? null : new DateTimeOffset(DateTime.SpecifyKind(p.ExpiresAt.Value, DateTimeKind.Utc)),
            })
            .SingleOrDefaultAsync(context.CancellationToken).ConfigureAwait(false);

        if (payment is null)
            await context.RespondAsync(new PaymentNotFound { PaymentId = context.Message.PaymentId }).ConfigureAwait(false);
        else
            await context.RespondAsync(payment).ConfigureAwait(false);
    }
}
