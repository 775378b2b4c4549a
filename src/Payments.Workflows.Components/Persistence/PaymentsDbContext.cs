using Payments.Workflows.Components.ApiKeys;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Components.Persistence;

/// <summary>
/// Saga state, ledger, API keys, API idempotency records and the messaging inbox/outbox in one database, so one
/// transaction covers them. Each provider has a subclass that owns its migrations; the providers with schemas keep
/// the tables in <see cref="Schema"/> (<paramref name="useSchema"/>).
/// </summary>
public abstract class PaymentsDbContext(DbContextOptions options, bool useSchema = true) : DbContext(options)
{
    public const string Schema = "payments";
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    public DbSet<PaymentState> Payments => Set<PaymentState>();

    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();

    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();

    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        if (useSchema)
            modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaymentsDbContext).Assembly);
        modelBuilder.AddInboxOutbox();
    }
}
