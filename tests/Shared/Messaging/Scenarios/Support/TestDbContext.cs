using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Testing.Messaging.Scenarios.Support;

public sealed class WorkEffect
{
    public required string Key { get; set; }
}

public sealed class TimerState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = null!;

    public Guid? ExpiryToken { get; set; }
}

/// <summary>A throwaway DbContext: one business table with a unique key, one saga table, and the inbox/outbox.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<WorkEffect> Effects => Set<WorkEffect>();

    public DbSet<TimerState> Timers => Set<TimerState>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxState> InboxStates => Set<InboxState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkEffect>(e =>
        {
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(100);
        });
        modelBuilder.Entity<TimerState>(e =>
        {
            e.HasKey(x => x.CorrelationId);
            e.Property(x => x.CorrelationId).ValueGeneratedNever();
            e.Property(x => x.CurrentState).HasMaxLength(64);
        });
        modelBuilder.AddInboxOutbox();
    }
}
