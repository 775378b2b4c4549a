using MassTransit.Testing;

namespace Payments.Workflows.Tests.Authorisation;

public sealed class PaymentStateMachineTests : IAsyncLifetime
{
    private PaymentsHarness _payments = null!;

    public async ValueTask InitializeAsync() =>
        _payments = await PaymentsHarness.Start(new Dictionary<string, string?> { ["Payments:HoldDuration"] = "01:00:00" });

    public ValueTask DisposeAsync() => _payments.DisposeAsync();

    private async Task<Guid> Authorised(decimal amount = 100.00m)
    {
        var command = Commands.Authorise(amount: amount);
        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, "Authorised");
        return command.PaymentId;
    }

    private async Task<PaymentCommandRejected> RejectionFor(Guid paymentId, string key)
    {
        Assert.True(await _payments.SawEvents<PaymentCommandRejected>(
            m => m.PaymentId == paymentId && m.IdempotencyKey == key));
        return _payments.Events<PaymentCommandRejected>(m => m.PaymentId == paymentId && m.IdempotencyKey == key)[0];
    }

    [Fact]
    public async Task Approved_authorisation_places_a_pending_hold_and_publishes_PaymentAuthorised()
    {
        var paymentId = await Authorised(100.00m);

        var payment = await _payments.Payment(paymentId);
        Assert.Equal(100.00m, payment!.AuthorisedAmount);
        Assert.NotNull(payment.ExpiresAt);
        Assert.True(await _payments.SawEvents<PaymentAuthorised>(
            m => m.PaymentId == paymentId));
        var ledger = await _payments.Ledger(paymentId);
        var hold = Assert.Single(ledger);
        Assert.Equal(LedgerOperation.Authorise, hold.Operation);
        Assert.All(hold.Entries, e => Assert.Equal(LedgerEntryStatus.Pending, e.Status));
        LedgerAssert.Balances(ledger);
    }

    [Fact]
    public async Task Declined_card_ends_Declined_with_no_ledger_posting()
    {
        var command = Commands.Authorise(cardToken: "tok_decline");
        await _payments.Send(command);

        await _payments.WaitForState(command.PaymentId, "Declined");
        Assert.True(await _payments.SawEvents<PaymentDeclined>(
            m => m.PaymentId == command.PaymentId));
        Assert.Empty(await _payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Transient_acquirer_failures_are_retried_until_approved()
    {
        var command = Commands.Authorise(cardToken: "tok_transient");
        await _payments.Send(command);

        await _payments.WaitForState(command.PaymentId, "Authorised");
        Assert.Single(await _payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Authorise_capture_part_and_refund_part_ends_PartiallyRefunded_with_a_balanced_ledger()
    {
        var paymentId = await Authorised(100.00m);

        await _payments.Send(Commands.Capture(paymentId, 60.00m));
        await _payments.WaitForState(paymentId, "PartiallyCaptured");
        await _payments.Send(Commands.Refund(paymentId, 25.00m));
        var payment = await _payments.WaitForState(paymentId, "PartiallyRefunded");

        Assert.Equal((100.00m, 60.00m, 25.00m), (payment.AuthorisedAmount, payment.CapturedAmount, payment.RefundedAmount));
        var ledger = await _payments.Ledger(paymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Capture, LedgerOperation.Refund, LedgerOperation.Release],
            ledger.Select(t => t.Operation).Order());
        LedgerAssert.Balances(ledger);
        LedgerAssert.SumsToZero(await _payments.AllEntries());
    }

    [Fact]
    public async Task Capturing_everything_then_refunding_everything_ends_Refunded()
    {
        var paymentId = await Authorised(50.00m);

        await _payments.Send(Commands.Capture(paymentId, 50.00m));
        await _payments.WaitForState(paymentId, "Captured");
        await _payments.Send(Commands.Refund(paymentId, 20.00m));
        await _payments.WaitForState(paymentId, "PartiallyRefunded");
        await _payments.Send(Commands.Refund(paymentId, 30.00m));

        var payment = await _payments.WaitForState(paymentId, "Refunded");
        Assert.Equal(50.00m, payment.RefundedAmount);
        LedgerAssert.Balances(await _payments.Ledger(paymentId));
    }

    [Fact]
    public async Task Capture_above_the_authorised_amount_is_rejected_and_changes_nothing()
    {
        var paymentId = await Authorised(100.00m);
        var capture = Commands.Capture(paymentId, 100.01m);

        await _payments.Send(capture);

        var rejection = await RejectionFor(paymentId, capture.IdempotencyKey);
        Assert.Equal(RejectionReasons.AmountExceedsAuthorised, rejection.ReasonCode);
        var payment = await _payments.Payment(paymentId);
        Assert.Equal(("Authorised", 0m), (payment!.CurrentState, payment.CapturedAmount));
        Assert.Single(await _payments.Ledger(paymentId));
    }

    [Fact]
    public async Task Several_partial_captures_never_exceed_the_authorised_amount()
    {
        var paymentId = await Authorised(100.00m);

        await _payments.Send(Commands.Capture(paymentId, 40.00m));
        await _payments.WaitForState(paymentId, "PartiallyCaptured");
        await _payments.Send(Commands.Capture(paymentId, 60.00m));
        await _payments.WaitForState(paymentId, "Captured");
        var tooMuch = Commands.Capture(paymentId, 0.01m);
        await _payments.Send(tooMuch);

        Assert.Equal(RejectionReasons.InvalidState, (await RejectionFor(paymentId, tooMuch.IdempotencyKey)).ReasonCode);
        Assert.Equal(100.00m, (await _payments.Payment(paymentId))!.CapturedAmount);
        Assert.Equal(3, (await _payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Refund_above_the_captured_amount_is_rejected_and_changes_nothing()
    {
        var paymentId = await Authorised(100.00m);
        await _payments.Send(Commands.Capture(paymentId, 30.00m));
        await _payments.WaitForState(paymentId, "PartiallyCaptured");
        await _payments.Send(Commands.Void(paymentId));
        await _payments.WaitForState(paymentId, "Voided");
        var refund = Commands.Refund(paymentId, 30.01m);

        await _payments.Send(refund);

        Assert.Equal(RejectionReasons.AmountExceedsCaptured, (await RejectionFor(paymentId, refund.IdempotencyKey)).ReasonCode);
        var payment = await _payments.Payment(paymentId);
        Assert.Equal(("Voided", 0m), (payment!.CurrentState, payment.RefundedAmount));
        Assert.Equal(3, (await _payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Void_releases_the_uncaptured_remainder()
    {
        var paymentId = await Authorised(100.00m);
        await _payments.Send(Commands.Capture(paymentId, 30.00m));
        await _payments.WaitForState(paymentId, "PartiallyCaptured");

        await _payments.Send(Commands.Void(paymentId));
        await _payments.WaitForState(paymentId, "Voided");

        Assert.True(await _payments.SawEvents<PaymentVoided>(
            m => m.PaymentId == paymentId && m.ReleasedAmount == 70.00m));
        var release = (await _payments.Ledger(paymentId)).Single(t => t.Operation == LedgerOperation.Void);
        Assert.Equal(70.00m, release.Entries.Where(e => e.Status == LedgerEntryStatus.Pending).Sum(e => e.Debit));
        // Every pending hold is now resolved: the pending entries of the payment net to zero.
        var pending = (await _payments.Ledger(paymentId)).SelectMany(t => t.Entries).Where(e => e.Status == LedgerEntryStatus.Pending);
        Assert.All(pending.GroupBy(e => e.AccountId), g => Assert.Equal(0m, g.Sum(e => e.Debit - e.Credit)));
    }

    [Fact]
    public async Task Capture_after_void_is_rejected()
    {
        var paymentId = await Authorised(100.00m);
        await _payments.Send(Commands.Void(paymentId));
        await _payments.WaitForState(paymentId, "Voided");
        var capture = Commands.Capture(paymentId, 10.00m);

        await _payments.Send(capture);

        Assert.Equal(RejectionReasons.InvalidState, (await RejectionFor(paymentId, capture.IdempotencyKey)).ReasonCode);
        Assert.Equal(0m, (await _payments.Payment(paymentId))!.CapturedAmount);
        Assert.Equal(2, (await _payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_new_message_id_is_one_operation_and_replays_the_first_outcome()
    {
        var paymentId = await Authorised(100.00m);
        var capture = Commands.Capture(paymentId, 60.00m, key: "capture-once");

        await _payments.Send(capture, Guid.NewGuid());
        await _payments.WaitForState(paymentId, "PartiallyCaptured");
        await _payments.Send(capture, Guid.NewGuid());

        // Published again under the first MessageId: the subscriber's inbox takes it once.
        var captured = await _payments.WaitUntilRepublishedUnderItsMessageId<PaymentCaptured>(m => m.PaymentId == paymentId);
        Assert.Equal((60.00m, 60.00m), (captured.Amount, captured.CapturedAmount));
        Assert.Single(_payments.Events<PaymentCaptured>(m => m.PaymentId == paymentId));
        var payment = await _payments.Payment(paymentId);
        Assert.Equal(60.00m, payment!.CapturedAmount);
        Assert.Single(await _payments.Ledger(paymentId), t => t.Operation == LedgerOperation.Capture);
    }

    [Fact]
    public async Task Same_idempotency_key_for_a_different_amount_is_rejected_as_reused()
    {
        var paymentId = await Authorised(100.00m);
        await _payments.Send(Commands.Capture(paymentId, 10.00m, key: "k1"));
        await _payments.WaitForState(paymentId, "PartiallyCaptured");

        await _payments.Send(Commands.Capture(paymentId, 20.00m, key: "k1"));

        Assert.True(await _payments.SawEvents<PaymentCommandRejected>(
            m => m.PaymentId == paymentId && m.ReasonCode == RejectionReasons.IdempotencyKeyReused));
        Assert.Equal(10.00m, (await _payments.Payment(paymentId))!.CapturedAmount);
    }

    [Fact]
    public async Task Repeated_authorisation_replays_PaymentAuthorised_without_a_second_hold()
    {
        var command = Commands.Authorise();
        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, "Authorised");

        await _payments.Send(command);

        // Published again under the first MessageId: the subscriber's inbox takes it once.
        await _payments.WaitUntilRepublishedUnderItsMessageId<PaymentAuthorised>(m => m.PaymentId == command.PaymentId);
        Assert.Single(_payments.Events<PaymentAuthorised>(m => m.PaymentId == command.PaymentId));
        Assert.Single(await _payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Command_for_an_unknown_payment_is_rejected_as_not_found()
    {
        var capture = Commands.Capture(Guid.NewGuid(), 10.00m);

        await _payments.Send(capture);

        Assert.Equal(RejectionReasons.PaymentNotFound, (await RejectionFor(capture.PaymentId, capture.IdempotencyKey)).ReasonCode);
        Assert.Null(await _payments.Payment(capture.PaymentId));
    }

    [Theory]
    [InlineData("XXX", 10.00, RejectionReasons.InvalidCurrency)]
    [InlineData("EUR", 0, RejectionReasons.InvalidAmount)]
    [InlineData("EUR", -5, RejectionReasons.InvalidAmount)]
    [InlineData("EUR", 10.001, RejectionReasons.InvalidAmount)]
    [InlineData("JPY", 10.5, RejectionReasons.InvalidAmount)]
    public async Task Invalid_authorisation_is_rejected_and_no_payment_is_created(string currency, double amount, string reasonCode)
    {
        var command = Commands.Authorise(amount: (decimal)amount, currency: currency);

        await _payments.Send(command);

        Assert.Equal(reasonCode, (await RejectionFor(command.PaymentId, command.IdempotencyKey)).ReasonCode);
        Assert.Null(await _payments.Payment(command.PaymentId));
    }

    [Fact]
    public async Task Concurrent_captures_of_one_payment_never_capture_more_than_authorised()
    {
        var paymentId = await Authorised(100.00m);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => _payments.Send(Commands.Capture(paymentId, 10.00m, key: $"c{i}"))));

        await _payments.WaitForState(paymentId, "Captured");
        Assert.True(await Wait.Until(() => Task.FromResult(
            _payments.Events<PaymentCommandRejected>(m => m.PaymentId == paymentId).Count == 2)));
        Assert.Equal(100.00m, (await _payments.Payment(paymentId))!.CapturedAmount);
        var ledger = await _payments.Ledger(paymentId);
        Assert.Equal(10, ledger.Count(t => t.Operation == LedgerOperation.Capture));
        LedgerAssert.Balances(ledger);
    }
}
