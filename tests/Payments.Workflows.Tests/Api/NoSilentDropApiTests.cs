using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Api;

/// <summary>
/// Security review §3, acceptance tests 18–19: a command the saga would drop after a 202 (too early, or under a key the
/// payment used for another command) is a 409 at once, and nothing is recorded or sent for it.
/// </summary>
public sealed class NoSilentDropApiTests(PaymentsApiFixture fixture) : ApiTests(fixture)
{
    [Fact]
    public async Task Capture_void_and_refund_of_a_payment_accepted_but_not_yet_recorded_are_409_too_early()
    {
        var paymentId = Guid.NewGuid();
        await Fixture.WithDb(db =>
        {
            db.IdempotentRequests.Add(new IdempotentRequest
            {
                Scope = $"authorise:{Merchant}", IdempotencyKey = Key(), RequestHash = new string('0', 64), PaymentId = paymentId, MerchantId = Merchant,
                CreatedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        Assert.Equal("Accepted", (await Api.Get(paymentId)).State);

        await AllTooEarly(paymentId, "Accepted");
    }

    [Fact]
    public async Task Capture_void_and_refund_while_the_acquirer_has_not_answered_are_409_too_early()
    {
        var paymentId = Guid.NewGuid();
        await Fixture.WithDb(db =>
        {
            db.Payments.Add(new PaymentState
            {
                CorrelationId = paymentId, CurrentState = "Authorising", MerchantId = Merchant, CustomerId = Customer, Currency = "EUR",
                CardToken = "tok_visa", RequestedAmount = 50.00m, AuthoriseIdempotencyKey = Key(), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });

        await AllTooEarly(paymentId, "Authorising");
    }

    [Fact]
    public async Task A_capture_reusing_the_authorisation_s_key_is_a_conflict()
    {
        var authoriseKey = Key();
        var paymentId = await PaymentsApiClient.Accepted(await Api.Authorise(PaymentsApiClient.AuthoriseBody(Merchant, Customer), authoriseKey));
        await Api.WaitForState(paymentId, "Authorised");

        var problem = await ApiAssert.Problem(await Api.Capture(paymentId, 10.00m, authoriseKey), HttpStatusCode.Conflict);
        Assert.EndsWith("idempotency-key-reused", problem.Type, StringComparison.Ordinal);
        await ApiAssert.Problem(await Api.Void(paymentId, authoriseKey), HttpStatusCode.Conflict);

        Assert.Equal(1, await Fixture.IdempotentRequestCount(authoriseKey));
        await NothingSentUnder(authoriseKey, "Capture", "Void");
        var payment = await Api.Get(paymentId);
        Assert.Equal(("Authorised", 0m), (payment.State, payment.CapturedAmount));
    }

    [Fact]
    public async Task A_refund_or_void_reusing_a_capture_s_key_is_a_conflict()
    {
        var payment = await Api.Authorised(Merchant, Customer, 100.00m);
        var captureKey = Key();
        await PaymentsApiClient.Accepted(await Api.Capture(payment.PaymentId, 40.00m, captureKey));
        await Api.WaitForState(payment.PaymentId, "PartiallyCaptured");

        await ApiAssert.Problem(await Api.Refund(payment.PaymentId, 10.00m, captureKey), HttpStatusCode.Conflict);
        await ApiAssert.Problem(await Api.Void(payment.PaymentId, captureKey), HttpStatusCode.Conflict);

        Assert.Equal(1, await Fixture.IdempotentRequestCount(captureKey));
        await NothingSentUnder(captureKey, "Refund", "Void");
        var after = await Api.Get(payment.PaymentId);
        Assert.Equal(("PartiallyCaptured", 40.00m, 0m), (after.State, after.CapturedAmount, after.RefundedAmount));
        Assert.Empty(after.Rejections);
    }

    private static string Key() => $"k-{Guid.NewGuid():N}";

    private async Task AllTooEarly(Guid paymentId, string state)
    {
        var key = Key();
        foreach (var response in new[] { await Api.Capture(paymentId, 10.00m, key), await Api.Void(paymentId, key), await Api.Refund(paymentId, 10.00m, key) })
        {
            var problem = await ApiAssert.Problem(response, HttpStatusCode.Conflict);
            Assert.Equal("urn:payments-workflows:problem:too-early", problem.Type);
            Assert.Contains(state, problem.Detail, StringComparison.Ordinal);
        }

        // Nothing kept under the key, so the same request can be sent again once the payment is authorised.
        Assert.Equal(0, await Fixture.IdempotentRequestCount(key));
        Assert.Equal(0, await Fixture.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.Body.Contains(key))));
    }

    /// <summary>No outbox row of these commands carries the key, and the saga published nothing for them under it.</summary>
    /// <remarks>The earlier command's own rows carry the key too (on the in-memory transport a sent row stays until consumed).</remarks>
    private async Task NothingSentUnder(string key, params string[] commands)
    {
        foreach (var type in commands.Select(c => $":{c}Payment"))
            Assert.Equal(0, await Fixture.WithDb(db => db.Set<OutboxMessage>().CountAsync(m => m.Body.Contains(key) && m.MessageType.Contains(type))));
        Assert.DoesNotContain(Fixture.Published<PaymentCommandRejected>(), e => e.IdempotencyKey == key && commands.Contains(e.Command));
    }
}
