using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Components.Persistence;

internal sealed class PaymentStateConfiguration : IEntityTypeConfiguration<PaymentState>
{
    public void Configure(EntityTypeBuilder<PaymentState> builder)
    {
        builder.ToTable("Payments");
        builder.HasKey(x => x.CorrelationId);
        builder.Property(x => x.CorrelationId).HasColumnName("PaymentId").ValueGeneratedNever();
        builder.Property(x => x.CurrentState).HasMaxLength(32).IsRequired();
        builder.Property(x => x.MerchantId).HasMaxLength(ColumnLengths.ExternalId).IsRequired();
        builder.Property(x => x.CustomerId).HasMaxLength(ColumnLengths.ExternalId).IsRequired();
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
        builder.Property(x => x.CardToken).HasMaxLength(ColumnLengths.CardToken).IsRequired();
        builder.Property(x => x.AuthoriseIdempotencyKey).HasMaxLength(ColumnLengths.IdempotencyKey).IsRequired();
        builder.Property(x => x.AcquirerReference).HasMaxLength(128);
        builder.Property(x => x.DeclineCode).HasMaxLength(64);
        builder.Property(x => x.DeclineReason).HasMaxLength(512);
        foreach (var amount in new[] { nameof(PaymentState.RequestedAmount), nameof(PaymentState.AuthorisedAmount),
                     nameof(PaymentState.CapturedAmount), nameof(PaymentState.RefundedAmount) })
        {
            builder.Property<decimal>(amount).HasPrecision(19, 4);
        }

        builder.Ignore(x => x.UncapturedAmount);
        builder.Ignore(x => x.RefundableAmount);
        builder.Ignore(x => x.IsAtOperationLimit);

        // The idempotency log lives in the payment's own row as JSON: it is read and written with the saga,
        // under the same row lock, and never queried on its own.
        builder.OwnsMany(x => x.Operations, operations =>
        {
            operations.ToJson();
            operations.Property(o => o.Amount).HasPrecision(19, 4);
            operations.Property(o => o.ResultAmount).HasPrecision(19, 4);
        });

        builder.HasIndex(x => new { x.CurrentState, x.CreatedAt });
        builder.HasIndex(x => new { x.MerchantId, x.CreatedAt });
    }
}
