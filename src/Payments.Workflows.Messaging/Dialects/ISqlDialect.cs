namespace Payments.Workflows.Messaging.Dialects;

/// <summary>
/// Every piece of SQL that differs by database provider. One implementation per provider, chosen once per
/// DbContext type by <see cref="SqlDialects.For(Microsoft.EntityFrameworkCore.DbContext)"/>.
/// </summary>
public interface ISqlDialect
{
    /// <summary>The EF Core provider name this dialect serves.</summary>
    string ProviderName { get; }

    /// <summary>Quotes one identifier (table, column or schema name).</summary>
    string Quote(string identifier);

    /// <summary>
    /// A statement that reads the rows of <paramref name="table"/> whose <paramref name="keyColumns"/> equal
    /// the positional parameters {0}, {1}, … and holds an update lock on them until the transaction ends.
    /// </summary>
    string SelectForUpdate(TableName table, IReadOnlyList<string> keyColumns);

    /// <summary>
    /// <see cref="SelectForUpdate"/> for many rows at once: those whose <paramref name="keyColumn"/> is in the array
    /// {0}, locked in ascending key order so that two overlapping batches cannot deadlock. Null when the provider
    /// takes no array parameter; a batch then reads its rows one by one.
    /// </summary>
    string? SelectManyForUpdate(TableName table, string keyColumn);

    /// <summary>
    /// Inserts the inbox row for ({0} message id, {1} consumer id) with {2} received time, receive count 1,
    /// {3} lock id and consumed at {2}, or, when it exists, increments its receive count and writes the lock id.
    /// Either way it writes (so holds the row lock) and returns the row. Why consumed at insert: README.md, "Consuming a message".
    /// </summary>
    string UpsertInbox(TableName table, InboxColumns columns);

    /// <summary>
    /// <see cref="UpsertInbox"/> for many messages of one consumer in one statement: {0} is an array of distinct
    /// message ids, taken in ascending order so that two overlapping batches lock in the same order. A row it
    /// inserts (receive count 1) is written consumed at {2}, as there. Null when the provider takes
    /// <see cref="UpsertInbox"/> once per message (in that order) instead.
    /// </summary>
    string? UpsertInboxBatch(TableName table, InboxColumns columns);

    /// <summary>
    /// Reads up to {1} outbox rows that are due at {0} and not quarantined, in sequence order, locked for this
    /// transaction; rows another transaction holds are skipped, not waited for.
    /// </summary>
    string ClaimDueOutboxMessages(TableName table, OutboxColumns columns);
}
