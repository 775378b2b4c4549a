using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Workflows.Components.ApiKeys;

namespace Payments.Workflows.Components.Persistence;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.Prefix).HasMaxLength(32).IsRequired();
        builder.Property(x => x.Hash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(x => x.MerchantId).HasMaxLength(ColumnLengths.ExternalId);
        builder.Property(x => x.Role).HasMaxLength(16).IsRequired();

        // Every request looks its key up by hash; revoking names the prefix.
        builder.HasIndex(x => x.Hash).IsUnique();
        builder.HasIndex(x => x.Prefix).IsUnique();
    }
}
