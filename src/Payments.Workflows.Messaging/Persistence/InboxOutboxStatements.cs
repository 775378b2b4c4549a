using System.Collections.Concurrent;
using Payments.Workflows.Messaging.Dialects;

namespace Payments.Workflows.Messaging.Persistence;

/// <summary>The inbox/outbox statements of one DbContext type, built once from its model and provider.</summary>
internal sealed record InboxOutboxStatements(string UpsertInbox, string? UpsertInboxBatch, string ClaimDueOutboxMessages)
{
    private static readonly ConcurrentDictionary<Type, InboxOutboxStatements> Cache = new();

    public static InboxOutboxStatements For(DbContext context) =>
        Cache.GetOrAdd(context.GetType(), static (_, db) => Build(db), context);

    private static InboxOutboxStatements Build(DbContext db)
    {
        var dialect = SqlDialects.For(db);
        var inbox = new InboxColumns(
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.MessageId)),
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.ConsumerId)),
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.Received)),
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.ReceiveCount)),
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.LockId)),
            SqlDialects.ColumnOf<InboxState>(db, nameof(InboxState.Consumed)));
        var outbox = new OutboxColumns(
            SqlDialects.ColumnOf<OutboxMessage>(db, nameof(OutboxMessage.SequenceNumber)),
            SqlDialects.ColumnOf<OutboxMessage>(db, nameof(OutboxMessage.DueAt)),
            SqlDialects.ColumnOf<OutboxMessage>(db, nameof(OutboxMessage.QuarantinedAt)));

        return new InboxOutboxStatements(
            dialect.UpsertInbox(SqlDialects.TableOf<InboxState>(db), inbox),
            dialect.UpsertInboxBatch(SqlDialects.TableOf<InboxState>(db), inbox),
            dialect.ClaimDueOutboxMessages(SqlDialects.TableOf<OutboxMessage>(db), outbox));
    }
}
