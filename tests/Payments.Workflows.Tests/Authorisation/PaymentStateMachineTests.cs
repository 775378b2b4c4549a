using MassTransit.Testing;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Tests.Authorisation;

public sealed class PaymentStateMachineTests() : PaymentsHarnessTests(HoldLasting("01:00:00"))
{
    private async Task<Guid> Authorised(decimal amount = 100.00m)
    {
        var command = Commands.Authorise(amount: amount);
        await SendAndWait(command, command.PaymentId, nameof(PaymentStateMachine.Authorised));
        return command.PaymentId;
    }

    /// <summary>A payment authorised for 100.00 with 30.00 of it captured.</summary>
    private async Task<Guid> PartiallyCaptured()
    {
        var paymentId = await Authorised(100.00m);
        await SendAndWait(Commands.Capture(paymentId, 30.00m), paymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        return paymentId;
    }

    private async Task<Guid> Voided(Guid paymentId)
    {
        await SendAndWait(Commands.Void(paymentId), paymentId, nameof(PaymentStateMachine.Voided));
        return paymentId;
    }

    private async Task<PaymentState> SendAndWait<T>(T command, Guid paymentId, string state)
        where T : class
    {
        await Payments.Send(command);
        return await Payments.WaitForState(paymentId, state);
    }

    /// <summary>Sends <paramref name="command"/> and returns the reason code the saga rejected it with.</summary>
    private async Task<string> RejectionOf<T>(T command, Guid paymentId, string key)
        where T : class
    {
        await Payments.Send(command);
        return (await RejectionFor(paymentId, key)).ReasonCode;
    }

    private async Task<PaymentCommandRejected> RejectionFor(Guid paymentId, string key)
    {
        Assert.True(await Payments.SawEvents<PaymentCommandRejected>(
            m => m.PaymentId == paymentId && m.IdempotencyKey == key));
        return Payments.Events<PaymentCommandRejected>(m => m.PaymentId == paymentId && m.IdempotencyKey == key)[0];
    }

    [Theory]
    [InlineData("")]
    [InlineData("cap\u0000ture")]
    [InlineData("cap\u202Eture")]
    [InlineData(256)]
    public async Task A_contract_command_with_a_key_the_database_would_refuse_is_rejected_as_invalid_and_not_logged(object key)
    {
        var idempotencyKey = key is int length ? new string('k', length) : (string)key;
        var paymentId = await Authorised(100.00m);

        await Payments.Send(Commands.Capture(paymentId, 10.00m, idempotencyKey));
        await Payments.Send(Commands.Void(paymentId, idempotencyKey));
        await Payments.Send(Commands.Refund(paymentId, 10.00m, idempotencyKey));

        Assert.True(await Payments.SawEvents<PaymentCommandRejected>(m => m.PaymentId == paymentId && m.ReasonCode == RejectionReasons.InvalidCommand, 3));
        var rejections = Payments.Events<PaymentCommandRejected>(m => m.PaymentId == paymentId);
        Assert.Equal(["Capture", "Refund", "Void"], rejections.Select(r => r.Command).Order());
        Assert.All(rejections, r => Assert.DoesNotContain('\u0000', r.IdempotencyKey));
        var payment = await SendAndWait(Commands.Capture(paymentId, 10.00m, "after"), paymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        Assert.Equal(["Authorise", "Capture"], payment.Operations.Select(o => o.Command));
        Assert.Equal(10.00m, payment.CapturedAmount);
    }

    [Fact]
    public async Task Past_the_operation_limit_a_new_command_is_rejected_unlogged_while_a_logged_key_still_replays()
    {
        var paymentId = await Authorised(100.00m);
        var keys = Enumerable.Range(1, PaymentState.MaxOperations - 1).Select(i => $"over-{i}").ToList();
        foreach (var key in keys)
            await Payments.Send(Commands.Capture(paymentId, 1000.00m, key));
        Assert.True(await Payments.SawEvents<PaymentCommandRejected>(
            m => m.PaymentId == paymentId && m.ReasonCode == RejectionReasons.AmountExceedsAuthorised, keys.Count));

        Assert.Equal(RejectionReasons.OperationLimit, await RejectionOf(Commands.Capture(paymentId, 10.00m, "one-too-many"), paymentId, "one-too-many"));
        Assert.Equal(RejectionReasons.OperationLimit, await RejectionOf(Commands.Void(paymentId, "void-too-many"), paymentId, "void-too-many"));
        Assert.Equal(RejectionReasons.OperationLimit, await RejectionOf(Commands.Refund(paymentId, 1.00m, "refund-too-many"), paymentId, "refund-too-many"));
        // A logged key is answered as before (the same event again, under its first MessageId).
        await Payments.Send(Commands.Capture(paymentId, 1000.00m, keys[0]));
        var replay = await Payments.WaitUntilRepublishedUnderItsMessageId<PaymentCommandRejected>(m => m.PaymentId == paymentId && m.IdempotencyKey == keys[0]);
        Assert.Equal(RejectionReasons.AmountExceedsAuthorised, replay.ReasonCode);

        var payment = await Payments.Payment(paymentId);
        Assert.Equal(PaymentState.MaxOperations, payment!.Operations.Count);
        Assert.Equal(("Authorised", 0m), (payment.CurrentState, payment.CapturedAmount));
        Assert.DoesNotContain(payment.Operations, o => o.IdempotencyKey.EndsWith("too-many", StringComparison.Ordinal));
        Assert.Single(await Payments.Ledger(paymentId));
    }

    [Fact]
    public async Task Approved_authorisation_places_a_pending_hold_and_publishes_PaymentAuthorised()
    {
        var paymentId = await Authorised(100.00m);

        var payment = await Payments.Payment(paymentId);
        Assert.Equal(100.00m, payment!.AuthorisedAmount);
        Assert.NotNull(payment.ExpiresAt);
        Assert.True(await Payments.SawEvents<PaymentAuthorised>(
            m => m.PaymentId == paymentId));
        var ledger = await Payments.Ledger(paymentId);
        var hold = Assert.Single(ledger);
        Assert.Equal(LedgerOperation.Authorise, hold.Operation);
        Assert.All(hold.Entries, e => Assert.Equal(LedgerEntryStatus.Pending, e.Status));
        LedgerAssert.Balances(ledger);
    }

    [Fact]
    public async Task Declined_card_ends_Declined_with_no_ledger_posting()
    {
        var command = Commands.Authorise(cardToken: "tok_decline");

        await SendAndWait(command, command.PaymentId, nameof(PaymentStateMachine.Declined));
        Assert.True(await Payments.SawEvents<PaymentDeclined>(
            m => m.PaymentId == command.PaymentId));
        Assert.Empty(await Payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Transient_acquirer_failures_are_retried_until_approved()
    {
        var command = Commands.Authorise(cardToken: "tok_transient");

        await SendAndWait(command, command.PaymentId, nameof(PaymentStateMachine.Authorised));
        Assert.Single(await Payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Authorise_capture_part_and_refund_part_ends_PartiallyRefunded_with_a_balanced_ledger()
    {
        var paymentId = await Authorised(100.00m);

        await SendAndWait(Commands.Capture(paymentId, 60.00m), paymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        var payment = await SendAndWait(Commands.Refund(paymentId, 25.00m), paymentId, nameof(PaymentStateMachine.PartiallyRefunded));

        Assert.Equal((100.00m, 60.00m, 25.00m), (payment.AuthorisedAmount, payment.CapturedAmount, payment.RefundedAmount));
        var ledger = await Payments.Ledger(paymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Capture, LedgerOperation.Refund, LedgerOperation.Release],
            ledger.Select(t => t.Operation).Order());
        LedgerAssert.Balances(ledger);
        LedgerAssert.SumsToZero(await Payments.AllEntries());
    }

    [Fact]
    public async Task Capturing_everything_then_refunding_everything_ends_Refunded()
    {
        var paymentId = await Authorised(50.00m);

        await SendAndWait(Commands.Capture(paymentId, 50.00m), paymentId, nameof(PaymentStateMachine.Captured));
        await SendAndWait(Commands.Refund(paymentId, 20.00m), paymentId, nameof(PaymentStateMachine.PartiallyRefunded));

        var payment = await SendAndWait(Commands.Refund(paymentId, 30.00m), paymentId, nameof(PaymentStateMachine.Refunded));
        Assert.Equal(50.00m, payment.RefundedAmount);
        LedgerAssert.Balances(await Payments.Ledger(paymentId));
    }

    [Fact]
    public async Task Capture_above_the_authorised_amount_is_rejected_and_changes_nothing()
    {
        var paymentId = await Authorised(100.00m);
        var capture = Commands.Capture(paymentId, 100.01m);

        Assert.Equal(RejectionReasons.AmountExceedsAuthorised, await RejectionOf(capture, paymentId, capture.IdempotencyKey));
        var payment = await Payments.Payment(paymentId);
        Assert.Equal((nameof(PaymentStateMachine.Authorised), 0m), (payment!.CurrentState, payment.CapturedAmount));
        Assert.Single(await Payments.Ledger(paymentId));
    }

    [Fact]
    public async Task Several_partial_captures_never_exceed_the_authorised_amount()
    {
        var paymentId = await Authorised(100.00m);

        await SendAndWait(Commands.Capture(paymentId, 40.00m), paymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        await SendAndWait(Commands.Capture(paymentId, 60.00m), paymentId, nameof(PaymentStateMachine.Captured));
        var tooMuch = Commands.Capture(paymentId, 0.01m);

        Assert.Equal(RejectionReasons.InvalidState, await RejectionOf(tooMuch, paymentId, tooMuch.IdempotencyKey));
        Assert.Equal(100.00m, (await Payments.Payment(paymentId))!.CapturedAmount);
        Assert.Equal(3, (await Payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Refund_above_the_captured_amount_is_rejected_and_changes_nothing()
    {
        var paymentId = await Voided(await PartiallyCaptured());
        var refund = Commands.Refund(paymentId, 30.01m);

        Assert.Equal(RejectionReasons.AmountExceedsCaptured, await RejectionOf(refund, paymentId, refund.IdempotencyKey));
        var payment = await Payments.Payment(paymentId);
        Assert.Equal((nameof(PaymentStateMachine.Voided), 0m), (payment!.CurrentState, payment.RefundedAmount));
        Assert.Equal(3, (await Payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Void_releases_the_uncaptured_remainder()
    {
        var paymentId = await PartiallyCaptured();

        await SendAndWait(Commands.Void(paymentId), paymentId, nameof(PaymentStateMachine.Voided));

        Assert.True(await Payments.SawEvents<PaymentVoided>(
            m => m.PaymentId == paymentId && m.ReleasedAmount == 70.00m));
        var release = (await Payments.Ledger(paymentId)).Single(t => t.Operation == LedgerOperation.Void);
        Assert.Equal(70.00m, release.Entries.Where(e => e.Status == LedgerEntryStatus.Pending).Sum(e => e.Debit));
        // Every pending hold is now resolved: the pending entries of the payment net to zero.
        var pending = (await Payments.Ledger(paymentId)).SelectMany(t => t.Entries).Where(e => e.Status == LedgerEntryStatus.Pending);
        Assert.All(pending.GroupBy(e => e.AccountId), g => Assert.Equal(0m, g.Sum(e => e.Debit - e.Credit)));
    }

    [Fact]
    public async Task Capture_after_void_is_rejected()
    {
        var paymentId = await Voided(await Authorised(100.00m));
        var capture = Commands.Capture(paymentId, 10.00m);

        Assert.Equal(RejectionReasons.InvalidState, await RejectionOf(capture, paymentId, capture.IdempotencyKey));
        Assert.Equal(0m, (await Payments.Payment(paymentId))!.CapturedAmount);
        Assert.Equal(2, (await Payments.Ledger(paymentId)).Count);
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_new_message_id_is_one_operation_and_replays_the_first_outcome()
    {
        var paymentId = await Authorised(100.00m);
        var capture = Commands.Capture(paymentId, 60.00m, key: "capture-once");

        await Payments.Send(capture, Guid.NewGuid());
        await Payments.WaitForState(paymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        await Payments.Send(capture, Guid.NewGuid());

        // Published again under the first MessageId: the subscriber's inbox takes it once.
        var captured = await Payments.WaitUntilRepublishedUnderItsMessageId<PaymentCaptured>(m => m.PaymentId == paymentId);
        Assert.Equal((60.00m, 60.00m), (captured.Amount, captured.CapturedAmount));
        Assert.Single(Payments.Events<PaymentCaptured>(m => m.PaymentId == paymentId));
        var payment = await Payments.Payment(paymentId);
        Assert.Equal(60.00m, payment!.CapturedAmount);
        Assert.Single(await Payments.Ledger(paymentId), t => t.Operation == LedgerOperation.Capture);
    }

    [Fact]
    public async Task Same_idempotency_key_for_a_different_amount_is_rejected_as_reused()
    {
        var paymentId = await Authorised(100.00m);
        await SendAndWait(Commands.Capture(paymentId, 10.00m, key: "k1"), paymentId, nameof(PaymentStateMachine.PartiallyCaptured));

        await Payments.Send(Commands.Capture(paymentId, 20.00m, key: "k1"));

        Assert.True(await Payments.SawEvents<PaymentCommandRejected>(
            m => m.PaymentId == paymentId && m.ReasonCode == RejectionReasons.IdempotencyKeyReused));
        Assert.Equal(10.00m, (await Payments.Payment(paymentId))!.CapturedAmount);
    }

    [Fact]
    public async Task Repeated_authorisation_replays_PaymentAuthorised_without_a_second_hold()
    {
        var command = Commands.Authorise();
        await SendAndWait(command, command.PaymentId, nameof(PaymentStateMachine.Authorised));

        await Payments.Send(command);

        // Published again under the first MessageId: the subscriber's inbox takes it once.
        await Payments.WaitUntilRepublishedUnderItsMessageId<PaymentAuthorised>(m => m.PaymentId == command.PaymentId);
        Assert.Single(Payments.Events<PaymentAuthorised>(m => m.PaymentId == command.PaymentId));
        Assert.Single(await Payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task Command_for_an_unknown_payment_is_rejected_as_not_found()
    {
        var capture = Commands.Capture(Guid.NewGuid(), 10.00m);

        Assert.Equal(RejectionReasons.PaymentNotFound, await RejectionOf(capture, capture.PaymentId, capture.IdempotencyKey));
        Assert.Null(await Payments.Payment(capture.PaymentId));
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

        Assert.Equal(reasonCode, await RejectionOf(command, command.PaymentId, command.IdempotencyKey));
        Assert.Null(await Payments.Payment(command.PaymentId));
    }

    [Fact]
    public async Task Concurrent_captures_of_one_payment_never_capture_more_than_authorised()
    {
        var paymentId = await Authorised(100.00m);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Payments.Send(Commands.Capture(paymentId, 10.00m, key: $"c{i}"))));

        await Payments.WaitForState(paymentId, nameof(PaymentStateMachine.Captured));
        await Eventually.True(() => Payments.Events<PaymentCommandRejected>(m => m.PaymentId == paymentId).Count == 2,
            "two captures rejected once 100.00 was captured");
        Assert.Equal(100.00m, (await Payments.Payment(paymentId))!.CapturedAmount);
        var ledger = await Payments.Ledger(paymentId);
        Assert.Equal(10, ledger.Count(t => t.Operation == LedgerOperation.Capture));
        LedgerAssert.Balances(ledger);
    }
}
