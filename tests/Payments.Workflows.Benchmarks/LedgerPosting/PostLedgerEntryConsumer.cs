using MassTransit;
using Microsoft.EntityFrameworkCore;

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
