using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Components.Persistence;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("LedgerEntries");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.Property(x => x.AccountId).HasMaxLength(160).IsRequired();
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
        builder.Property(x => x.Debit).HasPrecision(19, 4);
        builder.Property(x => x.Credit).HasPrecision(19, 4);
        builder.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        // A balance sums one account's entries by currency and status: on PostgreSQL and SQL Server the amounts are
        // included in the index, so the sum reads the index alone (an index-only scan), not a row per entry.
        var balance = builder.HasIndex(x => new { x.AccountId, x.Currency, x.Status });
        NpgsqlIndexBuilderExtensions.IncludeProperties(balance, x => new { x.Debit, x.Credit });
        SqlServerIndexBuilderExtensions.IncludeProperties(balance, x => new { x.Debit, x.Credit });
    }
}
