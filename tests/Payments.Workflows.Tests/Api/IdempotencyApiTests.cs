using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Tests.Support;

namespace Payments.Workflows.Tests.Api;

/// <summary>The Idempotency-Key: the same request twice is one operation, a different request under it a conflict.</summary>
public sealed class IdempotencyApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    private readonly PaymentsApiClient _api = fixture.Api;
    private readonly string _merchant = $"m-{Guid.NewGuid():N}"[..20];
    private readonly string _customer = $"c-{Guid.NewGuid():N}"[..20];

    private static string Key() => $"key-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_same_authorisation_written_differently_gets_the_same_payment()
    {
        var key = Key();
        var first = $$"""{"merchantId":"{{_merchant}}","customerId":"{{_customer}}","amount":100.00,"currency":"EUR","cardToken":"tok_visa"}""";
        var reordered = $$"""
            { "cardToken": "tok_visa", "currency": "EUR", "amount": 100,
              "customerId": "{{_customer}}", "merchantId": "{{_merchant}}" }
            """;

        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(first, key));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Authorise(reordered, key)));

        Assert.Equal(1, await fixture.IdempotentRequestCount(key));
        await _api.WaitForState(paymentId, "Authorised");
    }

    [Fact]
    public async Task The_same_key_with_a_different_authorisation_is_a_conflict()
    {
        var key = Key();
        var paymentId = await PaymentsApiClient.Accepted(await _api.Authorise(PaymentsApiClient.AuthoriseBody(_merchant, _customer, 100.00m), key));

        var problem = await ApiAssert.Problem(await _api.Authorise(PaymentsApiClient.AuthoriseBody(_merchant, _customer, 100.01m), key), HttpStatusCode.Conflict);

        Assert.Contains("idempotency-key", problem.Type, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(key, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(paymentId.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.IdempotentRequestCount(key));
        var payment = await _api.WaitForState(paymentId, "Authorised");
        Assert.Equal(100.00m, payment.AuthorisedAmount);
    }

    [Fact]
    public async Task A_client_chosen_payment_id_is_kept_and_is_part_of_the_request()
    {
        var key = Key();
        var chosen = Guid.NewGuid();
        var withId = PaymentsApiClient.AuthoriseBody(_merchant, _customer, paymentId: chosen);

        Assert.Equal(chosen, await PaymentsApiClient.Accepted(await _api.Authorise(withId, key)));
        Assert.Equal(chosen, await PaymentsApiClient.Accepted(await _api.Authorise(withId, key)));
        await ApiAssert.Problem(await _api.Authorise(PaymentsApiClient.AuthoriseBody(_merchant, _customer), key), HttpStatusCode.Conflict);
        await _api.WaitForState(chosen, "Authorised");

        // The id is taken now: another key cannot authorise it again.
        var taken = await ApiAssert.Problem(await _api.Authorise(withId, Key()), HttpStatusCode.Conflict);
        Assert.Contains(chosen.ToString(), taken.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_make_one_payment()
    {
        var key = Key();
        var body = PaymentsApiClient.AuthoriseBody(_merchant, _customer, 12.34m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.Authorise(body, key)));

        var ids = await Task.WhenAll(responses.Select(PaymentsApiClient.Accepted));
        var paymentId = Assert.Single(ids.Distinct());
        Assert.Equal(1, await fixture.IdempotentRequestCount(key));
        var payment = await _api.WaitForState(paymentId, "Authorised");
        Assert.Single(payment.LedgerTransactions);
        Assert.Equal(1, await fixture.WithDb(db => db.Payments.CountAsync(p => p.MerchantId == _merchant && p.RequestedAmount == 12.34m)));
    }

    [Fact]
    public async Task Concurrent_different_requests_with_one_key_get_one_acceptance()
    {
        var key = Key();

        var responses = await Task.WhenAll(Enumerable.Range(1, 6)
            .Select(i => _api.Authorise(PaymentsApiClient.AuthoriseBody(_merchant, _customer, i), key)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await fixture.IdempotentRequestCount(key));
    }

    [Fact]
    public async Task The_same_capture_key_with_another_amount_is_a_conflict()
    {
        var payment = await _api.Authorised(_merchant, _customer);
        await PaymentsApiClient.Accepted(await _api.Capture(payment.PaymentId, 30.00m, "capture-1"));
        Assert.Equal(payment.PaymentId, await PaymentsApiClient.Accepted(await _api.Capture(payment.PaymentId, 30.0m, "capture-1")));

        var problem = await ApiAssert.Problem(await _api.Capture(payment.PaymentId, 31.00m, "capture-1"), HttpStatusCode.Conflict);
        Assert.Contains("capture-1", problem.Detail, StringComparison.Ordinal);

        var after = await _api.WaitForState(payment.PaymentId, "PartiallyCaptured");
        Assert.Equal(30.00m, after.CapturedAmount);
        Assert.Equal(1, await fixture.IdempotentRequestCount("capture-1"));
    }

    [Fact]
    public async Task The_same_refund_key_with_another_amount_is_a_conflict()
    {
        var payment = await _api.Authorised(_merchant, _customer);
        await PaymentsApiClient.Accepted(await _api.Capture(payment.PaymentId, 100.00m, "capture-all"));
        await _api.WaitForState(payment.PaymentId, "Captured");
        await PaymentsApiClient.Accepted(await _api.Refund(payment.PaymentId, 10.00m, "refund-1"));

        await ApiAssert.Problem(await _api.Refund(payment.PaymentId, 20.00m, "refund-1"), HttpStatusCode.Conflict);

        var after = await _api.WaitForState(payment.PaymentId, "PartiallyRefunded");
        Assert.Equal(10.00m, after.RefundedAmount);
    }

    [Fact]
    public async Task Keys_of_captures_are_scoped_to_their_payment()
    {
        var first = await _api.Authorised(_merchant, _customer);
        var second = await _api.Authorised(_merchant, _customer);

        await PaymentsApiClient.Accepted(await _api.Capture(first.PaymentId, 10.00m, "shared-capture-key"));
        await PaymentsApiClient.Accepted(await _api.Capture(second.PaymentId, 20.00m, "shared-capture-key"));

        Assert.Equal(10.00m, (await _api.WaitForState(first.PaymentId, "PartiallyCaptured")).CapturedAmount);
        Assert.Equal(20.00m, (await _api.WaitForState(second.PaymentId, "PartiallyCaptured")).CapturedAmount);
    }

    [Fact]
    public async Task A_command_for_a_payment_accepted_but_not_yet_recorded_is_accepted_and_resent_on_retry()
    {
        // Accepted by the API, not yet recorded by the saga: the API knows the payment from its own record.
        var paymentId = Guid.NewGuid();
        await fixture.WithDb(db =>
        {
            db.IdempotentRequests.Add(new Components.Idempotency.IdempotentRequest
            {
                Scope = "authorise", IdempotencyKey = Key(), RequestHash = new string('0', 64), PaymentId = paymentId, CreatedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });

        var accepted = await _api.Get(paymentId);
        Assert.Equal("Accepted", accepted.State);
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 10.00m, "early-capture")));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await _api.Capture(paymentId, 10.00m, "early-capture")));
        Assert.True(await Wait.Until(() => Task.FromResult(fixture.Published<Contracts.PaymentCommandRejected>()
            .Count(e => e.PaymentId == paymentId && e.ReasonCode == Contracts.RejectionReasons.PaymentNotFound) == 2)));
    }
}
