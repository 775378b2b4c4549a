using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Workflows.Components.Idempotency;

namespace Payments.Workflows.Components.Persistence;

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public const int ScopeLength = 128;

    public void Configure(EntityTypeBuilder<IdempotentRequest> builder)
    {
        builder.ToTable("IdempotentRequests");
        builder.HasKey(x => new { x.Scope, x.IdempotencyKey });
        // "authorise:{merchantId}" is the longest scope.
        builder.Property(x => x.Scope).HasMaxLength(ScopeLength);
        builder.Property(x => x.MerchantId).HasMaxLength(ColumnLengths.ExternalId);
        builder.Property(x => x.IdempotencyKey).HasMaxLength(ColumnLengths.IdempotencyKey);
        builder.Property(x => x.RequestHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(x => x.CreatedAt);

        // The API looks up the accepted authorisation of a payment the saga has not recorded yet by its id.
        builder.HasIndex(x => x.PaymentId);
    }
}
