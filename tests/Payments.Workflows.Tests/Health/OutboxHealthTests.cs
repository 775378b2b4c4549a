using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Health;

/// <summary>
/// Readiness reports work that is not leaving the outbox as Degraded (200: the API still accepts), with
/// Payments__Health__StuckAfter set to one minute.
/// </summary>
public sealed class OutboxHealthTests : IAsyncLifetime
{
    private readonly PaymentsApiFactory _factory = new(new Dictionary<string, string?> { ["Payments:Health:StuckAfter"] = "00:01:00" });
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Ready_is_200_Healthy_while_the_outbox_flows_and_a_recent_send_is_being_retried()
    {
        // Failed once 30 s after it was written: younger than StuckAfter.
        await Insert(Row(writtenAgo: TimeSpan.FromSeconds(30), attempts: 1));

        var ready = await HealthReport.Get(_http, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Healthy", ready.Status);
        Assert.Equal("Healthy", ready.Checks["outbox"]);
    }

    [Fact]
    public async Task A_quarantined_outbox_row_makes_ready_200_Degraded()
    {
        var row = Row(writtenAgo: TimeSpan.FromSeconds(5), attempts: 10);
        row.QuarantinedAt = DateTime.UtcNow;
        await Insert(row);

        var ready = await HealthReport.Get(_http, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Degraded", ready.Status);
        Assert.Equal("Degraded", ready.Checks["outbox"]);
        Assert.Contains("quarantined", ready.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_that_should_have_been_sent_longer_ago_than_StuckAfter_makes_ready_200_Degraded()
    {
        // Its sends keep failing, so each attempt pushed its due time back: it is overdue by when it was written.
        await Insert(Row(writtenAgo: TimeSpan.FromMinutes(2), attempts: 4));

        var ready = await HealthReport.Get(_http, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Code);
        Assert.Equal("Degraded", ready.Status);
        Assert.Equal("Degraded", ready.Checks["outbox"]);
        Assert.Equal("Healthy", ready.Checks["payments-db"]);
    }

    /// <summary>A row whose next attempt is a minute away, so the delivery service leaves it alone during the test.</summary>
    private static OutboxMessage Row(TimeSpan writtenAgo, int attempts) => new()
    {
        MessageId = Guid.NewGuid(),
        OutboxId = Guid.NewGuid(),
        SentTime = DateTime.UtcNow - writtenAgo,
        DueAt = DateTime.UtcNow + TimeSpan.FromMinutes(1),
        DeliveryAttempts = attempts,
        ContentType = "application/vnd.masstransit+json",
        MessageType = "urn:message:Payments.Workflows.Contracts:AuthorisePayment",
        Body = "{}",
        DestinationAddress = new Uri("loopback://localhost/payment-state"),
    };

    private async Task Insert(OutboxMessage row)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        db.Set<OutboxMessage>().Add(row);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
