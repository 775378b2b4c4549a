using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Messaging.Delivery;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Tests.Messaging;

public sealed class OutageTrackerTests : IDisposable
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();

    [Fact]
    public void The_back_off_doubles_with_jitter_and_never_exceeds_its_cap()
    {
        var tracker = NewTracker();
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var expected = OutageTracker.Exponential(First, attempt, Cap);
            var wait = tracker.Failed(new SqliteException("database is locked", 5));

            Assert.InRange(wait, expected / 2, expected);
            Assert.True(wait <= Cap, $"attempt {attempt} waited {wait}, over the cap");
        }

        Assert.Equal(Cap, OutageTracker.Exponential(First, 12, Cap));
    }

    [Fact]
    public void An_outage_is_logged_when_it_starts_and_when_it_ends_with_its_length_not_per_attempt()
    {
        var tracker = NewTracker();
        for (var i = 0; i < 5; i++)
        {
            tracker.Failed(new SqliteException("database is locked", 5));
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.True(tracker.IsPaused);
        tracker.Succeeded();
        tracker.Succeeded();

        Assert.False(tracker.IsPaused);
        var entries = _logs.Entries.ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(LogLevel.Warning, entries[0].Level);
        Assert.Equal("Test service paused: database unavailable (Contention); retrying with back-off up to 00:00:30", entries[0].Message);
        Assert.Equal(LogLevel.Information, entries[1].Level);
        Assert.Equal("Test service resumed after 00:00:10", entries[1].Message);
    }

    [Fact]
    public void A_permanent_fault_is_an_error_each_time_and_pauses_nothing()
    {
        var tracker = NewTracker();
        tracker.Failed(new InvalidOperationException("a bug"));
        tracker.Failed(new InvalidOperationException("a bug"));
        tracker.Succeeded();

        Assert.False(tracker.IsPaused);
        Assert.Equal(2, _logs.Entries.Count(x => x.Level == LogLevel.Error));
        Assert.DoesNotContain(_logs.Entries, x => x.Level != LogLevel.Error);
    }

    private OutageTracker NewTracker() =>
        new("Test service", "test", First, Cap, _clock, new MessagingMetrics(_services.GetRequiredService<IMeterFactory>()), _logs.CreateLogger("test"));

    public void Dispose() => _services.Dispose();
}
