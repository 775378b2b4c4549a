using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Delivery;

namespace Payments.Workflows.Tests.Messaging;

/// <summary>The backlog gauges' cache: one database read per few seconds, and nothing thrown while the database is away.</summary>
public sealed class OutboxBacklogCacheTests
{
    private static readonly OutboxBacklog Backlog = new(3, 1, 2, TimeSpan.FromSeconds(7), 40);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Collections_within_the_cache_age_read_the_database_once()
    {
        var reader = new Reader(() => Backlog);
        var cache = new OutboxBacklogCache(reader, _clock, NullLogger.Instance);

        var first = cache.Current();
        _clock.Advance(OutboxBacklogCache.MaxAge / 2);
        var second = cache.Current();

        Assert.Equal(Backlog, first);
        Assert.Equal(Backlog, second);
        Assert.Equal(1, reader.Reads);
    }

    [Fact]
    public void A_database_that_is_away_gives_no_backlog_instead_of_an_exception_and_the_next_read_after_the_cache_age_recovers()
    {
        var down = true;
        var reader = new Reader(() => down ? throw new TimeoutException("database away") : Backlog);
        var cache = new OutboxBacklogCache(reader, _clock, NullLogger.Instance);

        Assert.Null(cache.Current());
        // Not asked again at once: a database that is away is not hammered by every instrument of every collection.
        Assert.Null(cache.Current());
        Assert.Equal(1, reader.Reads);

        down = false;
        _clock.Advance(OutboxBacklogCache.MaxAge);
        Assert.Equal(Backlog, cache.Current());
    }

    private sealed class Reader(Func<OutboxBacklog> read) : IOutboxBacklogReader
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<OutboxBacklog> Read(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromResult(read());
        }
    }
}
