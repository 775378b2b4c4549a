using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;
using Payments.Workflows.Tests.Api;
using Payments.Workflows.Tests.Telemetry;

namespace Payments.Workflows.Tests.Ops;

/// <summary>The ops API over HTTP: outbox counts, quarantined rows, release, delete, and stuck payments.</summary>
public sealed class OpsApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private readonly ConcurrentQueue<string> _received = new();

    private IServiceProvider Services => fixture.Factory.Services;

    [Fact]
    public async Task A_merchant_key_is_refused_and_an_ops_key_reads_the_outbox_counts()
    {
        using var http = fixture.Factory.CreateClient();

        using var asMerchant = await Send(http, HttpMethod.Get, "/ops/outbox", await fixture.Factory.Keys.Merchant($"merchant-{Guid.NewGuid():N}"));
        using var asOps = await Send(http, HttpMethod.Get, "/ops/outbox", await fixture.Factory.Keys.Ops());

        Assert.Equal(HttpStatusCode.Forbidden, asMerchant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asOps.StatusCode);
        using var counts = JsonDocument.Parse(await asOps.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        foreach (var field in new[] { "pending", "scheduled", "quarantined", "oldestPendingAgeSeconds", "inboxMarks" })
            Assert.True(counts.RootElement.TryGetProperty(field, out _), $"no {field} in {counts.RootElement}");
    }

    [Fact]
    public async Task A_released_quarantined_row_is_listed_with_its_error_then_delivered_and_gone_from_the_list()
    {
        var queue = await Sink();
        var key = (await OutboxRowsFor.Send(Services, queue, count: 1, delay: TimeSpan.FromHours(1))).Single();
        var sequenceNumber = await Quarantine(key, "System.TimeoutException: the broker did not answer");

        var listed = await QuarantinedRows();
        var row = Assert.Single(listed, r => r.GetProperty("sequenceNumber").GetInt64() == sequenceNumber);
        Assert.Equal("System.TimeoutException: the broker did not answer", row.GetProperty("lastError").GetString());
        Assert.Equal(10, row.GetProperty("deliveryAttempts").GetInt32());
        var counts = await fixture.Api.GetJson<JsonElement>("/ops/outbox");
        Assert.True(counts.GetProperty("quarantined").GetInt64() >= 1);
        Assert.DoesNotContain(key, _received);

        using var http = fixture.Factory.CreateClient();
        using var released = await Send(http, HttpMethod.Post, $"/ops/outbox/{sequenceNumber}/release", await fixture.Factory.Keys.Ops());
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);

        await Eventually.True(() => _received.Contains(key), $"the released row's message {key} to arrive");
        Assert.DoesNotContain(await QuarantinedRows(), r => r.GetProperty("sequenceNumber").GetInt64() == sequenceNumber);
    }

    [Fact]
    public async Task A_deleted_row_is_never_sent_and_unknown_or_healthy_rows_cannot_be_released()
    {
        var queue = await Sink();
        var keys = await OutboxRowsFor.Send(Services, queue, count: 2, delay: TimeSpan.FromHours(1));
        var doomed = await Quarantine(keys[0], "System.InvalidOperationException: no such exchange");
        var healthy = await SequenceNumberOf(keys[1]);
        var ops = await fixture.Factory.Keys.Ops();
        using var http = fixture.Factory.CreateClient();

        using (var deleted = await Send(http, HttpMethod.Delete, $"/ops/outbox/{doomed}", ops))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var again = await Send(http, HttpMethod.Delete, $"/ops/outbox/{doomed}", ops))
            await ApiAssert.Problem(again, HttpStatusCode.NotFound);
        using (var unknown = await Send(http, HttpMethod.Post, $"/ops/outbox/{doomed}/release", ops))
            await ApiAssert.Problem(unknown, HttpStatusCode.NotFound);
        using (var notANumber = await Send(http, HttpMethod.Post, "/ops/outbox/first/release", ops))
            await ApiAssert.Problem(notANumber, HttpStatusCode.NotFound);
        using (var early = await Send(http, HttpMethod.Post, $"/ops/outbox/{healthy}/release", ops))
            await ApiAssert.Problem(early, HttpStatusCode.Conflict);

        Assert.False(await fixture.WithDb(db => db.Set<OutboxMessage>().AnyAsync(r => r.SequenceNumber == doomed)));
        Assert.True(await fixture.WithDb(db => db.Set<OutboxMessage>().AnyAsync(r => r.SequenceNumber == healthy && r.DeliveryAttempts == 0)));
    }

    [Fact]
    public async Task Stuck_payments_are_those_left_Authorising_or_past_their_hold_for_longer_than_olderThan()
    {
        var merchant = $"merchant-{Guid.NewGuid():N}";
        var waitingForAcquirer = (await fixture.Api.Authorised(merchant, "customer-stuck-1")).PaymentId;
        var holdNotExpired = (await fixture.Api.Authorised(merchant, "customer-stuck-2")).PaymentId;
        var healthy = (await fixture.Api.Authorised(merchant, "customer-stuck-3")).PaymentId;
        var tenMinutesAgo = DateTime.UtcNow.AddMinutes(-10);
        await fixture.WithDb(db => db.Payments.Where(p => p.CorrelationId == waitingForAcquirer)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CurrentState, "Authorising").SetProperty(p => p.UpdatedAt, tenMinutesAgo)));
        await fixture.WithDb(db => db.Payments.Where(p => p.CorrelationId == holdNotExpired)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ExpiresAt, tenMinutesAgo)));

        var stuck = await fixture.Api.GetJson<JsonElement>("/ops/payments/stuck?olderThan=PT5M");
        var ids = stuck.EnumerateArray().Select(p => p.GetProperty("paymentId").GetGuid()).ToList();
        Assert.Contains(waitingForAcquirer, ids);
        Assert.Contains(holdNotExpired, ids);
        Assert.DoesNotContain(healthy, ids);
        var authorising = stuck.EnumerateArray().Single(p => p.GetProperty("paymentId").GetGuid() == waitingForAcquirer);
        Assert.Equal("Authorising", authorising.GetProperty("state").GetString());
        Assert.InRange(authorising.GetProperty("waitingSeconds").GetDouble(), 590, 3600);

        var notLongEnough = await fixture.Api.GetJson<JsonElement>("/ops/payments/stuck?olderThan=PT15M");
        Assert.DoesNotContain(notLongEnough.EnumerateArray(), p => p.GetProperty("paymentId").GetGuid() == waitingForAcquirer);
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("PT")]
    [InlineData("-PT5M")]
    [InlineData("PT0S")]
    public async Task A_stuck_query_with_an_olderThan_that_is_no_positive_ISO_8601_duration_is_a_400_naming_olderThan(string olderThan)
    {
        using var response = await fixture.Api.Http.GetAsync($"/ops/payments/stuck?olderThan={Uri.EscapeDataString(olderThan)}",
            TestContext.Current.CancellationToken);

        await ApiAssert.Problem(response, HttpStatusCode.BadRequest, "olderThan");
    }

    /// <summary>A queue of this test's own, whose messages land in <see cref="_received"/>.</summary>
    private async Task<Uri> Sink()
    {
        var name = $"ops-tests-{Guid.NewGuid():N}";
        var handle = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(name, e => e.Handler<WorkDone>(c =>
        {
            _received.Enqueue(c.Message.Key);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        return new Uri($"queue:{name}");
    }

    /// <summary>Marks the row of <paramref name="key"/> as the delivery service does after its last failed attempt.</summary>
    private async Task<long> Quarantine(string key, string lastError)
    {
        var sequenceNumber = await SequenceNumberOf(key);
        await fixture.WithDb(db => db.Set<OutboxMessage>().Where(r => r.SequenceNumber == sequenceNumber).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.QuarantinedAt, DateTime.UtcNow)
            .SetProperty(r => r.DeliveryAttempts, 10)
            .SetProperty(r => r.LastError, lastError)));
        return sequenceNumber;
    }

    private Task<long> SequenceNumberOf(string key) =>
        fixture.WithDb(db => db.Set<OutboxMessage>().Where(r => r.Body.Contains(key)).Select(r => r.SequenceNumber).SingleAsync());

    private async Task<List<JsonElement>> QuarantinedRows()
    {
        var page = await fixture.Api.GetJson<JsonElement>("/ops/outbox/quarantined?pageSize=500");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
