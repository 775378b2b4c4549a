using Microsoft.EntityFrameworkCore;
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
        builder.Property(x => x.IdempotencyKey).HasMaxLength(255).IsRequired();
        builder.HasMany(x => x.Entries).WithOne().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => x.PaymentId);
    }
}

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
        builder.HasIndex(x => new { x.AccountId, x.Currency });
    }
}

internal sealed class IdempotentRequestConfiguration : IEntityTypeConfiguration<IdempotentRequest>
{
    public void Configure(EntityTypeBuilder<IdempotentRequest> builder)
    {
        builder.ToTable("IdempotentRequests");
        builder.HasKey(x => new { x.Scope, x.IdempotencyKey });
        builder.Property(x => x.Scope).HasMaxLength(64);
        builder.Property(x => x.IdempotencyKey).HasMaxLength(255);
        builder.Property(x => x.RequestHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.HasIndex(x => x.CreatedAt);

        // The API looks up the accepted authorisation of a payment the saga has not recorded yet by its id.
        builder.HasIndex(x => x.PaymentId);
    }
}
