namespace Payments.Workflows.Benchmarks.LedgerPosting;

/// <summary>
/// The consumer both ledger-posting runs share. It inserts the balanced row pair in one statement that skips a
/// pair already present (the unique key is the business dedupe), then publishes <see cref="LedgerEntryPosted"/>.
/// Under the inbox/outbox it joins the transaction the inbox opened and its publish becomes an outbox row; without
/// it, it opens and commits its own transaction and publishes straight to the broker after the commit
/// (at-least-once: a crash between commit and publish loses nothing, as the redelivery republishes).
/// </summary>
public sealed class PostLedgerEntryConsumer(BenchLedgerDbContext db) : IConsumer<PostLedgerEntry>
{
    public async Task Consume(ConsumeContext<PostLedgerEntry> context)
    {
        var posting = context.Message;
        var key = posting.PostingKey.ToString("N");
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(context.CancellationToken)
            : null;
        int inserted;
        await using (ownTransaction)
        {
            inserted = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "BenchLedgerEntry" ("PostingKey", "Side", "Account", "Amount", "Currency")
                VALUES ({key}, 'D', {posting.DebitAccount}, {posting.Amount}, {posting.Currency}),
                       ({key}, 'C', {posting.CreditAccount}, {posting.Amount}, {posting.Currency})
                ON CONFLICT DO NOTHING
                """,
                context.CancellationToken);
            if (ownTransaction is not null)
                await ownTransaction.CommitAsync(context.CancellationToken);
        }

        await context.Publish(new LedgerEntryPosted { PostingKey = posting.PostingKey, Applied = inserted > 0 }, context.CancellationToken);
    }
}

/// <summary>The MassTransit-alone ceiling: the same message in, the same event out, no database.</summary>
public sealed class PublishOnlyConsumer : IConsumer<PostLedgerEntry>
{
    public Task Consume(ConsumeContext<PostLedgerEntry> context) =>
        context.Publish(new LedgerEntryPosted { PostingKey = context.Message.PostingKey, Applied = true }, context.CancellationToken);
}

/// <summary>
/// The same work as <see cref="PostLedgerEntryConsumer"/> for a batch of postings: every pair in one INSERT that
/// skips pairs already present, then one event per posting. Under the inbox/outbox the batch arrives without the
/// messages the inbox has already seen, joins the inbox's one transaction, and its events become outbox rows; without
/// it, it commits its own transaction and publishes after the commit (at-least-once: a redelivered batch republishes).
/// </summary>
public sealed class PostLedgerEntriesConsumer(BenchLedgerDbContext db) : IConsumer<Batch<PostLedgerEntry>>
{
    public async Task Consume(ConsumeContext<Batch<PostLedgerEntry>> context)
    {
        var postings = context.Message.Select(m => m.Message).ToList();
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(context.CancellationToken)
            : null;
        HashSet<string> inserted;
        await using (ownTransaction)
        {
            inserted = (await InsertPairs(postings, context.CancellationToken)).ToHashSet();
            if (ownTransaction is not null)
                await ownTransaction.CommitAsync(context.CancellationToken);
        }

        await Task.WhenAll(postings.Select(p => context.Publish(
            new LedgerEntryPosted { PostingKey = p.PostingKey, Applied = inserted.Contains(p.PostingKey.ToString("N")) }, context.CancellationToken)));
    }

    private Task<List<string>> InsertPairs(IReadOnlyList<PostLedgerEntry> postings, CancellationToken cancellationToken)
    {
        var values = new List<string>(postings.Count * 2);
        var parameters = new List<object>(postings.Count * 6);
        foreach (var posting in postings)
        {
            var key = posting.PostingKey.ToString("N");
            foreach (var (side, account) in new[] { ("D", posting.DebitAccount), ("C", posting.CreditAccount) })
            {
                var at = parameters.Count;
                values.Add($"({{{at}}}, {{{at + 1}}}, {{{at + 2}}}, {{{at + 3}}}, {{{at + 4}}})");
                parameters.AddRange([key, side, account, posting.Amount, posting.Currency]);
            }
        }

        var sql = $"""
            INSERT INTO "BenchLedgerEntry" ("PostingKey", "Side", "Account", "Amount", "Currency")
            VALUES {string.Join(", ", values)}
            ON CONFLICT DO NOTHING
            RETURNING "PostingKey" AS "Value"
            """;
        return db.Database.SqlQueryRaw<string>(sql, parameters.ToArray()).ToListAsync(cancellationToken);
    }
}
