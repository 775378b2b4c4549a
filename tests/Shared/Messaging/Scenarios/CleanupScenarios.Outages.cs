using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Testing.Messaging.Scenarios;

public abstract partial class CleanupScenarios
{
    [Fact]
    public async Task During_a_database_outage_cleanup_pauses_logging_it_once_and_deletes_the_expired_marks_once_it_ends()
    {
        await using var database = await CreatedDatabase();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var now = clock.GetUtcNow().UtcDateTime;
        var consumerId = Guid.NewGuid();

        // Written before the host starts, while the database is still there.
        var options = new DbContextOptionsBuilder<TestDbContext>();
        database.Configure(options);
        await using (var db = new TestDbContext(options.Options))
        {
            for (var i = 0; i < 12; i++)
                db.InboxStates.Add(Mark(Guid.NewGuid(), consumerId, now - TimeSpan.FromHours(3), delivered: true));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // The database is away from the start: the first cleanup pass already fails.
        var outage = new DatabaseOutage { Active = true };
        await using var host = await StartHost(database, clock: clock, outage: outage, options: o =>
        {
            o.DuplicateDetectionWindow = TimeSpan.FromHours(2);
            o.CleanupEnabled = true;
            o.CleanupInterval = TimeSpan.FromMinutes(1);
            o.CleanupBatchSize = 5;
            o.DeliveryServiceEnabled = false;
        });

        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Warning, "Inbox/outbox cleanup paused:") == 1, "the cleanup paused");
        var refused = outage.Refusals;
        await EventuallyAsTimePasses(clock, () => outage.Refusals >= refused + 3, "the cleanup tried again during the outage");

        outage.Active = false;
        await EventuallyAsTimePasses(clock, async () => await host.Query(db => db.InboxStates.CountAsync()) == 0, "the expired marks were deleted after the outage");
        await EventuallyAsTimePasses(clock, () => host.Logs.Count(LogLevel.Information, "Inbox/outbox cleanup resumed after") == 1, "the cleanup said it resumed");

        var entries = host.Logs.Entries.Where(x => x.Category.Contains("InboxOutboxCleanupService", StringComparison.Ordinal)).ToList();
        Assert.Single(entries, x => x.Level == LogLevel.Warning && x.Message.StartsWith("Inbox/outbox cleanup paused:", StringComparison.Ordinal));
        Assert.Single(entries, x => x.Level == LogLevel.Information && x.Message.StartsWith("Inbox/outbox cleanup resumed after", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, x => x.Level >= LogLevel.Error);
    }
}
