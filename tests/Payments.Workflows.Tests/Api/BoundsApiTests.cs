using System.Globalization;
using System.Net.Http.Json;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// Security review §3, acceptance test 23 and the list paging of issue 15: one payment's operation log is bounded and
/// read a page at a time; payment lists page by cursor, newest first, without counting.
/// </summary>
public sealed class BoundsApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    private static readonly DateTime Start = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_payment_with_a_full_operation_log_answers_new_commands_429_and_records_and_sends_nothing()
    {
        var paymentId = await Seed(Payment(Start, operations: PaymentState.MaxOperations));
        var key = $"k-{Guid.NewGuid():N}";

        foreach (var response in new[] { await Api.Capture(paymentId, 1.00m, key), await Api.Void(paymentId, key), await Api.Refund(paymentId, 1.00m, key) })
        {
            var problem = await ApiAssert.Problem(response, HttpStatusCode.TooManyRequests);
            Assert.Equal("urn:payments-workflows:problem:operation-limit", problem.Type);
        }

        Assert.Equal(0, await Fixture.IdempotentRequestCount(key));
        Assert.Equal(0, await Fixture.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.Body.Contains(key))));
        var stored = await Fixture.WithDb(db => db.Payments.AsNoTracking().SingleAsync(p => p.CorrelationId == paymentId));
        Assert.Equal((PaymentState.MaxOperations, 0m), (stored.Operations.Count, stored.CapturedAmount));
    }

    [Fact]
    public async Task A_payment_one_operation_short_of_the_limit_still_takes_a_capture()
    {
        var paymentId = await Seed(Payment(Start, operations: PaymentState.MaxOperations - 1));

        await PaymentsApiClient.Accepted(await Api.Capture(paymentId, 10.00m, $"k-{Guid.NewGuid():N}"));

        var payment = await Api.WaitForState(paymentId, "PartiallyCaptured");
        Assert.Equal(10.00m, payment.CapturedAmount);
        var log = await Api.GetJson<PaymentOperationsJson>($"/payments/{paymentId}");
        Assert.Equal(PaymentState.MaxOperations, log.OperationCount);
    }

    [Fact]
    public async Task A_long_operation_log_shows_its_newest_twenty_and_pages_through_the_rest_newest_first()
    {
        var paymentId = await Seed(Payment(Start, operations: 57));

        var details = await Api.GetJson<PaymentOperationsJson>($"/payments/{paymentId}");
        Assert.Equal((57, true), (details.OperationCount, details.HasMoreOperations));
        Assert.Equal(Enumerable.Range(38, 20), details.Operations.Select(o => o.Sequence));
        Assert.Equal(20, details.Rejections.Count);

        var seen = new List<int>();
        string? after = null;
        OperationPageJson page;
        do
        {
            page = await Api.GetJson<OperationPageJson>($"/payments/{paymentId}/operations?limit=25{(after is null ? "" : $"&startingAfter={after}")}");
            seen.AddRange(page.Items.Select(o => o.Sequence));
            after = page.Items.Count > 0 ? page.Items[^1].Sequence.ToString(CultureInfo.InvariantCulture) : after;
        }
        while (page.HasMore);

        Assert.Equal(Enumerable.Range(1, 57).Reverse(), seen);
        Assert.Equal("Authorise", (await Api.GetJson<OperationPageJson>($"/payments/{paymentId}/operations?startingAfter=2")).Items.Single().Command);
        await ApiAssert.Problem(await Api.Http.GetAsync($"/payments/{paymentId}/operations?startingAfter=x"), HttpStatusCode.BadRequest, "startingAfter");
        await ApiAssert.Problem(await Api.Http.GetAsync($"/payments/{paymentId}/operations?limit=101"), HttpStatusCode.BadRequest, "limit");
        await ApiAssert.Problem(await Api.Http.GetAsync($"/payments/{Guid.NewGuid()}/operations"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paging_through_250_payments_returns_each_exactly_once_newest_first()
    {
        // Three payments share each creation time, so the id must break ties for no payment to be skipped or repeated.
        var payments = Enumerable.Range(0, 250).Select(i => Payment(Start.AddSeconds(i / 3))).ToList();
        await Seed([.. payments]);

        var seen = new List<PaymentSummaryJson>();
        var pages = 0;
        string? cursor = null;
        PaymentPageJson page;
        do
        {
            page = await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&limit=100{(cursor is null ? "" : $"&startingAfter={cursor}")}");
            seen.AddRange(page.Items);
            cursor = page.NextStartingAfter;
            pages++;
            Assert.Equal(page.HasMore, cursor is not null);
        }
        while (page.HasMore);

        Assert.Equal(3, pages);
        Assert.Equal(250, seen.Count);
        Assert.Equal(payments.Select(p => p.CorrelationId).Order(), seen.Select(p => p.PaymentId).Order());
        Assert.Equal(seen.Select(p => p.CreatedAt).OrderDescending(), seen.Select(p => p.CreatedAt));
    }

    [Fact]
    public async Task Payments_are_filtered_by_state_customer_and_creation_time()
    {
        var otherCustomer = $"c2-{Guid.NewGuid():N}"[..20];
        var early = Payment(Start);
        var middle = Payment(Start.AddHours(1), state: "Captured");
        var late = Payment(Start.AddHours(2), customerId: otherCustomer);
        await Seed(early, middle, late);

        async Task<IEnumerable<Guid>> Ids(string query) =>
            (await Api.GetJson<PaymentPageJson>($"/payments?merchantId={Merchant}&{query}")).Items.Select(i => i.PaymentId);

        Assert.Equal([middle.CorrelationId], await Ids("state=captured"));
        Assert.Equal([late.CorrelationId], await Ids($"customerId={otherCustomer}"));
        Assert.Equal([middle.CorrelationId, early.CorrelationId], await Ids($"customerId={Customer}"));
        Assert.Equal([middle.CorrelationId], await Ids("createdFrom=2026-11-01T09:30:00Z&createdTo=2026-11-01T11:00:00Z"));
        Assert.Equal([late.CorrelationId, middle.CorrelationId], await Ids("createdFrom=2026-11-01T10:00:00%2B00:00"));
        Assert.Equal([early.CorrelationId], await Ids("createdTo=2026-11-01T10:00:00Z"));
    }

    [Fact]
    public async Task A_merchant_pages_through_its_own_payments_only()
    {
        await Seed(Payment(Start), Payment(Start.AddMinutes(1)));
        var other = $"m2-{Guid.NewGuid():N}"[..20];
        var http = Fixture.Factory.CreateDefaultClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await Fixture.Factory.Keys.Merchant(other));

        var page = await http.GetFromJsonAsync<PaymentPageJson>($"/payments?merchantId={Merchant}&limit=1", PaymentsApiClient.Json);

        Assert.Empty(page!.Items);
        Assert.False(page.HasMore);
    }

    private PaymentState Payment(DateTime createdAt, int operations = 1, string state = "Authorised", string? customerId = null)
    {
        var payment = new PaymentState
        {
            CorrelationId = Guid.NewGuid(), CurrentState = state, MerchantId = Merchant, CustomerId = customerId ?? Customer, Currency = "EUR",
            CardToken = "", RequestedAmount = 100.00m, AuthorisedAmount = 100.00m, AuthoriseIdempotencyKey = $"auth-{Guid.NewGuid():N}",
            CreatedAt = createdAt, UpdatedAt = createdAt, ExpiresAt = createdAt.AddDays(7),
        };
        payment.RecordAccepted(new RecordedCommand(PaymentCommands.Authorise, payment.AuthoriseIdempotencyKey, 100.00m), null, createdAt);
        for (var i = 1; i < operations; i++)
        {
            payment.RecordRejected(new RecordedCommand(PaymentCommands.Capture, $"over-{i}", 1000.00m),
                new Rejection(RejectionReasons.AmountExceedsAuthorised, "Capture of 1000.00 EUR exceeds the 100.00 EUR still authorised."), createdAt);
        }

        return payment;
    }

    private async Task<Guid> Seed(params PaymentState[] payments)
    {
        await Fixture.WithDb(db =>
        {
            db.Payments.AddRange(payments);
            return db.SaveChangesAsync();
        });
        return payments[0].CorrelationId;
    }
}
