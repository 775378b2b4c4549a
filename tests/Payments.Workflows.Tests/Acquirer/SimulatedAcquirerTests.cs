using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Tests.Acquirer;

/// <summary>The simulated acquirer's switches, which outage tests use, and its idempotency by payment id.</summary>
public sealed class SimulatedAcquirerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_repeated_call_for_a_payment_gets_the_first_decision_and_every_call_is_counted()
    {
        var acquirer = Create();
        var request = Request();

        var first = await acquirer.Authorise(request, "tok_visa", Ct);
        var again = await acquirer.Authorise(request, SimulatedAcquirer.DeclineToken, Ct);

        Assert.True(first.Approved);
        Assert.Same(first, again);
        Assert.Equal(2, acquirer.CallsFor(request.PaymentId));
        Assert.Equal(0, acquirer.CallsFor(Guid.NewGuid()));
        Assert.Same(first, acquirer.DecisionFor(request.PaymentId));
    }

    [Fact]
    public async Task FailFor_fails_every_call_transiently_until_the_time_has_passed()
    {
        var acquirer = Create();
        acquirer.FailFor(TimeSpan.FromSeconds(60));

        await Assert.ThrowsAsync<AcquirerTransientException>(() => acquirer.Authorise(Request(), "tok_visa", Ct));
        _time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<AcquirerTransientException>(() => acquirer.Authorise(Request(), "tok_visa", Ct));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await acquirer.Authorise(Request(), "tok_visa", Ct)).Approved);
    }

    [Fact]
    public async Task Hang_holds_calls_until_they_are_cancelled_or_Heal_releases_them()
    {
        var acquirer = Create();
        acquirer.Hang();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var cancelled = acquirer.Authorise(Request(), "tok_visa", cancel.Token);
        var released = acquirer.Authorise(Request(), "tok_visa", Ct);
        Assert.False(await Eventually.Holds(() => Task.FromResult(cancelled.IsCompleted || released.IsCompleted), TimeSpan.FromMilliseconds(200)));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(released.IsCompleted);
        acquirer.Heal();
        Assert.True((await released.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Approved);
    }

    [Fact]
    public async Task FailWithProbability_one_fails_every_call_and_zero_none_whatever_the_configured_rate()
    {
        var acquirer = Create(transientFaultRate: 0.5);

        acquirer.FailWithProbability(1);
        for (var i = 0; i < 20; i++)
            await Assert.ThrowsAsync<AcquirerTransientException>(() => acquirer.Authorise(Request(), "tok_visa", Ct));
        acquirer.FailWithProbability(0);
        for (var i = 0; i < 20; i++)
            Assert.True((await acquirer.Authorise(Request(), "tok_visa", Ct)).Approved);
    }

    [Fact]
    public async Task The_configured_fault_rate_fails_about_that_share_of_calls()
    {
        var acquirer = Create(transientFaultRate: 0.6);
        var failures = 0;
        for (var i = 0; i < 1000; i++)
        {
            try
            {
                await acquirer.Authorise(Request(), "tok_visa", Ct);
            }
            catch (AcquirerTransientException)
            {
                failures++;
            }
        }

        // 0.6 of 1000 has a standard deviation of about 15.5; 500 to 700 is more than six of them either side.
        Assert.InRange(failures, 500, 700);
    }

    [Fact]
    public async Task The_transient_token_still_fails_twice_before_it_is_approved()
    {
        var acquirer = Create();
        var request = Request();

        await Assert.ThrowsAsync<AcquirerTransientException>(() => acquirer.Authorise(request, SimulatedAcquirer.TransientToken, Ct));
        await Assert.ThrowsAsync<AcquirerTransientException>(() => acquirer.Authorise(request, SimulatedAcquirer.TransientToken, Ct));

        Assert.True((await acquirer.Authorise(request, SimulatedAcquirer.TransientToken, Ct)).Approved);
        Assert.True((await acquirer.Authorise(request, SimulatedAcquirer.TransientToken, Ct)).Approved);
        Assert.Equal(4, acquirer.CallsFor(request.PaymentId));
    }

    [Fact]
    public async Task Heal_ends_an_outage_and_a_fault_rate_switch()
    {
        var acquirer = Create();
        acquirer.FailFor(TimeSpan.FromHours(1));
        acquirer.FailWithProbability(1);

        acquirer.Heal();

        Assert.True((await acquirer.Authorise(Request(), "tok_visa", Ct)).Approved);
    }

    private SimulatedAcquirer Create(double transientFaultRate = 0) =>
        new(Options.Create(new PaymentsOptions { Acquirer = new AcquirerOptions { Latency = TimeSpan.Zero, TransientFaultRate = transientFaultRate } }), _time);

    private static RequestAcquirerAuthorisation Request() => new()
    {
        PaymentId = Guid.NewGuid(),
        MerchantId = "merchant-1",
        Amount = 10.00m,
        Currency = "EUR",
    };
}
