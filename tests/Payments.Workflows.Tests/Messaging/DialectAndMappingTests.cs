using Payments.Workflows.Messaging.Dialects;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Messaging;

public sealed class DialectAndMappingTests
{
    private static readonly InboxColumns Inbox = new("MessageId", "ConsumerId", "Received", "ReceiveCount", "LockId", "Consumed");
    private static readonly OutboxColumns Outbox = new("SequenceNumber", "DueAt", "QuarantinedAt");

    [Fact]
    public void Sql_server_claims_due_rows_with_update_locks_and_skips_rows_other_instances_hold()
    {
        var sql = SqlServerDialect.Instance.ClaimDueOutboxMessages(new TableName("OutboxMessage", "messaging"), Outbox);

        Assert.Equal(
            "SELECT TOP ({1}) * FROM [messaging].[OutboxMessage] WITH (UPDLOCK, READPAST, ROWLOCK) " +
            "WHERE [QuarantinedAt] IS NULL AND [DueAt] <= {0} ORDER BY [SequenceNumber]",
            sql);
    }

    [Fact]
    public void Sql_server_upserts_the_inbox_row_under_a_key_lock_and_returns_it()
    {
        var sql = SqlServerDialect.Instance.UpsertInbox(new TableName("InboxState", null), Inbox);

        Assert.Equal(
            "MERGE [InboxState] WITH (HOLDLOCK) AS t " +
            "USING (SELECT {0} AS m, {1} AS c) AS s ON t.[MessageId] = s.m AND t.[ConsumerId] = s.c " +
            "WHEN MATCHED THEN UPDATE SET t.[ReceiveCount] = t.[ReceiveCount] + 1, t.[LockId] = {3} " +
            "WHEN NOT MATCHED THEN INSERT ([MessageId], [ConsumerId], [Received], [ReceiveCount], [LockId], [Consumed]) VALUES (s.m, s.c, {2}, 1, {3}, {2}) " +
            "OUTPUT inserted.*;",
            sql);
    }

    [Fact]
    public void Sql_server_quotes_identifiers_that_contain_brackets()
    {
        var sql = SqlServerDialect.Instance.ClaimDueOutboxMessages(new TableName("Out]box", null), Outbox);

        Assert.StartsWith("SELECT TOP ({1}) * FROM [Out]]box]", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_claims_due_rows_with_skip_locked()
    {
        var sql = PostgreSqlDialect.Instance.ClaimDueOutboxMessages(new TableName("OutboxMessage", "messaging"), Outbox);

        Assert.Equal(
            "SELECT * FROM \"messaging\".\"OutboxMessage\" WHERE \"QuarantinedAt\" IS NULL AND \"DueAt\" <= {0} " +
            "ORDER BY \"SequenceNumber\" LIMIT {1} FOR UPDATE SKIP LOCKED",
            sql);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("sqlserver")]
    public void The_inbox_outbox_model_maps_on_every_provider_with_a_schema(string provider)
    {
        var options = new DbContextOptionsBuilder<SchemaDbContext>();
        _ = provider switch
        {
            "sqlite" => options.UseSqlite("Data Source=:memory:"),
            "postgres" => options.UseNpgsql("Host=localhost"),
            _ => options.UseSqlServer("Server=localhost"),
        };
        using var db = new SchemaDbContext(options.Options);

        var script = db.Database.GenerateCreateScript();

        Assert.Contains("InboxState", script, StringComparison.Ordinal);
        Assert.Contains("OutboxMessage", script, StringComparison.Ordinal);
        var destination = db.Model.FindEntityType(typeof(OutboxMessage))!.FindProperty(nameof(OutboxMessage.DestinationAddress))!;
        Assert.True(destination.GetMaxLength() > 256, "addresses with query options need more than 256 characters");
    }

    [Fact]
    public void Statements_read_table_and_column_names_from_the_model()
    {
        var options = new DbContextOptionsBuilder<SchemaDbContext>().UseNpgsql("Host=localhost");
        using var db = new SchemaDbContext(options.Options);

        var statements = InboxOutboxStatements.For(db);

        Assert.StartsWith("INSERT INTO \"messaging\".\"InboxState\" AS t", statements.UpsertInbox, StringComparison.Ordinal);
        Assert.Contains("FROM \"messaging\".\"OutboxMessage\"", statements.ClaimDueOutboxMessages, StringComparison.Ordinal);
    }

    private sealed class SchemaDbContext(DbContextOptions<SchemaDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddInboxOutbox("messaging");
    }
}
