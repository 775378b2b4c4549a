using MassTransit.Testing;

namespace Payments.Workflows.Tests.Authorisation;

public sealed class HoldExpiryTests : IAsyncLifetime
{
    private PaymentsHarness _payments = null!;

    public async ValueTask InitializeAsync() =>
        _payments = await PaymentsHarness.Start(new Dictionary<string, string?> { ["Payments:HoldDuration"] = "00:00:01" });

    public ValueTask DisposeAsync() => _payments.DisposeAsync();

    [Fact]
    public async Task An_uncaptured_hold_expires_and_releases_the_whole_amount()
    {
        var command = Commands.Authorise(amount: 80.00m);
        await _payments.Send(command);

        await _payments.WaitForState(command.PaymentId, "Expired", TimeSpan.FromSeconds(20));

        Assert.True(await _payments.SawEvents<PaymentAuthorisationExpired>(
            m => m.PaymentId == command.PaymentId && m.ReleasedAmount == 80.00m));
        var ledger = await _payments.Ledger(command.PaymentId);
        Assert.Equal([LedgerOperation.Authorise, LedgerOperation.Expire], ledger.Select(t => t.Operation));
        LedgerAssert.Balances(ledger);
    }

    [Fact]
    public async Task A_full_capture_cancels_the_expiry()
    {
        var command = Commands.Authorise(amount: 80.00m);
        await _payments.Send(command);
        await _payments.WaitForState(command.PaymentId, "Authorised");
        await _payments.Send(Commands.Capture(command.PaymentId, 80.00m));
        await _payments.WaitForState(command.PaymentId, "Captured");

        // The expiry would have fired after one second; wait well past it for any sign of it.
        Assert.False(await Wait.Until(() => Task.FromResult(
            _payments.Events<PaymentAuthorisationExpired>(m => m.PaymentId == command.PaymentId).Any()),
            TimeSpan.FromSeconds(3)));
        Assert.Equal("Captured", (await _payments.Payment(command.PaymentId))!.CurrentState);
    }
}
