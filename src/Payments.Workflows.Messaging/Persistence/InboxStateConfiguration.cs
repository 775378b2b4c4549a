using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payments.Workflows.Messaging.Persistence;

internal sealed class InboxStateConfiguration(string? schema) : IEntityTypeConfiguration<InboxState>
{
    public void Configure(EntityTypeBuilder<InboxState> builder)
    {
        builder.ToTable("InboxState", schema);

        // The inbox key is the primary key: the upsert conflicts on it and the row lock is taken through it.
        builder.HasKey(x => new { x.MessageId, x.ConsumerId });

        builder.Property(x => x.MessageId).ValueGeneratedNever();
        builder.Property(x => x.ConsumerId).ValueGeneratedNever();
        builder.Property(x => x.LockId);
        builder.Property(x => x.Received);
        builder.Property(x => x.ReceiveCount);
        builder.Property(x => x.Consumed);
        builder.Property(x => x.Delivered);

        // Cleanup deletes marks older than the dedupe window, oldest first.
        builder.HasIndex(x => x.Consumed);
    }
}
