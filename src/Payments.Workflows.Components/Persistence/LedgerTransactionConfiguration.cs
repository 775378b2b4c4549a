using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Components.Persistence;

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> builder)
    {
        builder.ToTable("LedgerTransactions");

        // The deterministic id is the primary key: the database itself refuses a second copy of a posting.
        builder.HasKey(x => x.TransactionId);
        builder.Property(x => x.TransactionId).ValueGeneratedNever();
        builder.Property(x => x.Operation).HasConversion<string>().HasMaxLength(16);
        builder.Property(x => x.IdempotencyKey).HasMaxLength(ColumnLengths.IdempotencyKey).IsRequired();
        builder.HasMany(x => x.Entries).WithOne().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => x.PaymentId);
    }
}
