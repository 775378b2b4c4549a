namespace Payments.Workflows.Messaging.Persistence;

public static class InboxOutboxModelBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="InboxState"/> and <see cref="OutboxMessage"/> (tables <c>InboxState</c>, <c>OutboxMessage</c>)
    /// into the application's DbContext. Call from <c>OnModelCreating</c>; column types are left to the provider,
    /// so one mapping serves SQLite, PostgreSQL and SQL Server migrations alike.
    /// </summary>
    public static ModelBuilder AddInboxOutbox(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfiguration(new InboxStateConfiguration(schema));
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration(schema));
        return modelBuilder;
    }
}
