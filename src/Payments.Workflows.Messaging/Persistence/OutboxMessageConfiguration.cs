using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Payments.Workflows.Messaging.Persistence;

internal sealed class OutboxMessageConfiguration(string? schema) : IEntityTypeConfiguration<OutboxMessage>
{
    // RabbitMQ addresses carry query options (durable, autodelete, bind …): 256 is too short.
    private const int AddressLength = 2000;

    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessage", schema);

        // Identity: the order rows were written in, and the claim order of the delivery service.
        builder.HasKey(x => x.SequenceNumber);
        builder.Property(x => x.SequenceNumber).ValueGeneratedOnAdd();

        builder.Property(x => x.MessageId);
        builder.Property(x => x.InboxMessageId);
        builder.Property(x => x.InboxConsumerId);
        builder.Property(x => x.OutboxId);
        builder.Property(x => x.DueAt);
        builder.Property(x => x.ScheduledTime);
        builder.Property(x => x.TokenId);
        builder.Property(x => x.DeliveryAttempts);
        builder.Property(x => x.LastError).HasMaxLength(OutboxRows.LastErrorLength);
        builder.Property(x => x.QuarantinedAt);
        builder.Property(x => x.SentTime);
        builder.Property(x => x.ExpirationTime);
        builder.Property(x => x.ContentType).HasMaxLength(256).IsRequired();
        builder.Property(x => x.MessageType).IsRequired();
        builder.Property(x => x.Body).IsRequired();
        builder.Property(x => x.Headers);
        builder.Property(x => x.Properties);
        builder.Property(x => x.ConversationId);
        builder.Property(x => x.CorrelationId);
        builder.Property(x => x.InitiatorId);
        builder.Property(x => x.RequestId);
        builder.Property(x => x.SourceAddress).HasMaxLength(AddressLength);
        builder.Property(x => x.DestinationAddress).HasMaxLength(AddressLength);
        builder.Property(x => x.ResponseAddress).HasMaxLength(AddressLength);
        builder.Property(x => x.FaultAddress).HasMaxLength(AddressLength);

        // The delivery service's claim: due, not quarantined, in sequence.
        builder.HasIndex(x => new { x.DueAt, x.SequenceNumber });

        // A consumer re-sending its own rows on redelivery.
        builder.HasIndex(x => new { x.InboxMessageId, x.InboxConsumerId });

        // Cancelling a schedule.
        builder.HasIndex(x => x.TokenId);

        builder.HasIndex(x => x.QuarantinedAt);
    }
}
