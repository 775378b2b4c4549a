using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Benchmarks.LedgerPosting;

/// <summary>One side of a posting. The pair (PostingKey, Side) is the primary key: the business dedupe.</summary>
public sealed class BenchLedgerEntry
{
    /// <summary>The posting's Guid as 32 hex digits: a string, so raw SQL binds it alike on every provider.</summary>
    public required string PostingKey { get; set; }

    /// <summary>'D' (debit) or 'C' (credit).</summary>
    public required string Side { get; set; }

    public required string Account { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }
}

/// <summary>The benchmark's own database: ledger rows plus the inbox/outbox tables (used only in effectively-once runs).</summary>
public sealed class BenchLedgerDbContext(DbContextOptions<BenchLedgerDbContext> options) : DbContext(options)
{
    public const string EntryTable = "BenchLedgerEntry";

    public DbSet<BenchLedgerEntry> Entries => Set<BenchLedgerEntry>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxState> InboxStates => Set<InboxState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BenchLedgerEntry>(e =>
        {
            e.ToTable(EntryTable);
            e.HasKey(x => new { x.PostingKey, x.Side });
            e.Property(x => x.PostingKey).HasMaxLength(32);
            e.Property(x => x.Side).HasMaxLength(1);
            e.Property(x => x.Account).HasMaxLength(64);
            e.Property(x => x.Amount).HasPrecision(19, 4);
            e.Property(x => x.Currency).HasMaxLength(3);
        });
        modelBuilder.AddInboxOutbox();
    }
}
