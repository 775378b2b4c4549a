namespace Payments.Workflows.Tests.Api;

/// <summary>The Idempotency-Key: the same request twice is one operation, a different request under it a conflict.</summary>
public sealed class IdempotencyApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    private static string Key() => $"key-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_same_authorisation_written_differently_gets_the_same_payment()
    {
        var key = Key();
        var first = $$"""{"merchantId":"{{Merchant}}","customerId":"{{Customer}}","amount":100.00,"currency":"EUR","cardToken":"tok_visa"}""";
        var reordered = $$"""
            { "cardToken": "tok_visa", "currency": "EUR", "amount": 100,
              "customerId": "{{Customer}}", "merchantId": "{{Merchant}}" }
            """;

        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(first, key));
        Assert.Equal(paymentId, await PaymentsApiClient.Accepted(await Api.Authorise(reordered, key)));

        Assert.Equal(1, await Fixture.IdempotentRequestCount(key));
        await Api.WaitForState(paymentId, "Authorised");
    }

    [Fact]
    public async Task The_same_key_with_a_different_authorisation_is_a_conflict()
    {
        var key = Key();
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, 100.00m), key));

        var problem = await ApiAssert.Problem(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, 100.01m), key), HttpStatusCode.Conflict);

        Assert.Contains("idempotency-key", problem.Type, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(key, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(paymentId.ToString(), problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await Fixture.IdempotentRequestCount(key));
        var payment = await Api.WaitForState(paymentId, "Authorised");
        Assert.Equal(100.00m, payment.AuthorisedAmount);
    }

    [Fact]
    public async Task A_client_chosen_payment_id_is_kept_and_is_part_of_the_request()
    {
        var key = Key();
        var chosen = Guid.NewGuid();
        var withId = PaymentsApiClient.AuthoriseBody(Merchant, Customer, paymentId: chosen);

        Assert.Equal(chosen, await PaymentsApiClient.Accepted(await Api.Authorise(withId, key)));
        Assert.Equal(chosen, await PaymentsApiClient.Accepted(await Api.Authorise(withId, key)));
        await ApiAssert.Problem(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer), key), HttpStatusCode.Conflict);
        await Api.WaitForState(chosen, "Authorised");

        // The id is taken now: another key cannot authorise it again.
        var taken = await ApiAssert.Problem(await Api.Authorise(withId, Key()), HttpStatusCode.Conflict);
        Assert.Contains(chosen.ToString(), taken.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_make_one_payment()
    {
        var key = Key();
        var body = PaymentsApiClient.AuthoriseBody(Merchant, Customer, 12.34m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Api.Authorise(body, key)));

        var ids = await Task.WhenAll(responses.Select(PaymentsApiClient.Accepted));
        var paymentId = Assert.Single(ids.Distinct());
        Assert.Equal(1, await Fixture.IdempotentRequestCount(key));
        var payment = await Api.WaitForState(paymentId, "Authorised");
        Assert.Single(payment.LedgerTransactions);
        Assert.Equal(1, await Fixture.WithDb(db => db.Payments.CountAsync(p => p.MerchantId == Merchant && p.RequestedAmount == 12.34m)));
    }

    [Fact]
    public async Task Concurrent_different_requests_with_one_key_get_one_acceptance()
    {
        var key = Key();

        var responses = await Task.WhenAll(Enumerable.Range(1, 6)
            .Select(i => Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, i), key)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await Fixture.IdempotentRequestCount(key));
    }

    [Fact]
    public async Task Concurrent_authorisations_of_one_chosen_payment_id_under_different_keys_get_one_acceptance_and_payment_id_taken()
    {
        var chosen = Guid.NewGuid();
        var keys = Enumerable.Range(0, 6).Select(_ => Key()).ToList();

        var responses = await Task.WhenAll(keys.Select(key => Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer, paymentId: chosen), key)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
        {
            var problem = await ApiAssert.Problem(conflict, HttpStatusCode.Conflict);
            Assert.Equal("urn:payments-workflows:problem:payment-id-taken", problem.Type);
        }

        var accepted = keys[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Accepted)];
        Assert.Equal(1, await Fixture.IdempotentRequestCount(accepted));
        Assert.Equal(0, (await Task.WhenAll(keys.Where(k => k != accepted).Select(Fixture.IdempotentRequestCount))).Sum());
        var payment = await Api.WaitForState(chosen, "Authorised");
        Assert.Single(payment.LedgerTransactions);
    }

    [Fact]
    public async Task The_same_capture_key_with_another_amount_is_a_conflict()
    {
        var payment = await Api.Authorised(Merchant, Customer);
        await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 30.00m, "capture-1"));
        Assert.Equal(payment.PaymentId, await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 30.0m, "capture-1")));

        var problem = await ApiAssert.Problem(await Api.Capture(payment.PaymentId, 31.00m, "capture-1"), HttpStatusCode.Conflict);
        Assert.Contains("capture-1", problem.Detail, StringComparison.Ordinal);

        var after = await Api.WaitForState(payment.PaymentId, "PartiallyCaptured");
        Assert.Equal(30.00m, after.CapturedAmount);
        Assert.Equal(1, await Fixture.IdempotentRequestCount("capture-1"));
    }

    [Fact]
    public async Task The_same_refund_key_with_another_amount_is_a_conflict()
    {
        var payment = await Api.Authorised(Merchant, Customer);
        await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 100.00m, "capture-all"));
        await Api.WaitForState(payment.PaymentId, "Captured");
        await PaymentsApiClient.Accepted(await Api.Refund(payment.PaymentId, 10.00m, "refund-1"));

        await ApiAssert.Problem(await Api.Refund(payment.PaymentId, 20.00m, "refund-1"), HttpStatusCode.Conflict);

        var after = await Api.WaitForState(payment.PaymentId, "PartiallyRefunded");
        Assert.Equal(10.00m, after.RefundedAmount);
    }

    [Fact]
    public async Task Keys_of_captures_are_scoped_to_their_payment()
    {
        var first = await Api.Authorised(Merchant, Customer);
        var second = await Api.Authorised(Merchant, Customer);

        await PaymentsApiClient.Accepted(await Api.Capture(first.PaymentId, 10.00m, "shared-capture-key"));
        await PaymentsApiClient.Accepted(await Api.Capture(second.PaymentId, 20.00m, "shared-capture-key"));

        Assert.Equal(10.00m, (await Api.WaitForState(first.PaymentId, "PartiallyCaptured")).CapturedAmount);
        Assert.Equal(20.00m, (await Api.WaitForState(second.PaymentId, "PartiallyCaptured")).CapturedAmount);
    }
}
