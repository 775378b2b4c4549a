using MassTransit.Testing;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Tests.Authorisation;

public sealed class HoldExpiryTests() : PaymentsHarnessTests(HoldLasting("00:00:01"))
{
    [Fact]
    public async Task An_uncaptured_hold_expires_and_releases_the_whole_amount()
    {
        var command = Commands.Authorise(amount: 80.00m);
        await Payments.Send(command);

        await Payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Expired), TimeSpan.FromSeconds(20));

        Assert.True(await Payments.SawEvents<PaymentAuthorisationExpired>(
            m => m.PaymentId == command.PaymentId && m.ReleasedAmount == 80.00m));
        var ledger = await Payments.Ledger(command.PaymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Expire], ledger.Select(t => t.Operation));
        LedgerAssert.Balances(ledger);
    }

    [Fact]
    public async Task A_full_capture_cancels_the_expiry()
    {
        var command = Commands.Authorise(amount: 80.00m);
        await Payments.Send(command);
        await Payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Authorised));
        await Payments.Send(Commands.Capture(command.PaymentId, 80.00m));
        await Payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Captured));

        // The expiry would have fired after one second; wait well past it for any sign of it.
        Assert.False(await Eventually.Holds(() => Task.FromResult(
            Payments.Events<PaymentAuthorisationExpired>(m => m.PaymentId == command.PaymentId).Any()),
            TimeSpan.FromSeconds(3)));
        Assert.Equal(nameof(PaymentStateMachine.Captured), (await Payments.Payment(command.PaymentId))!.CurrentState);
    }
}
