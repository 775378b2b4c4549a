using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Payments.Workflows.Components.Acquirer;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Diagnostics;

namespace Payments.Workflows.Tests.Authorisation;

/// <summary>An acquirer that fails or never answers: payments wait for it, or end declined at their deadline; nothing is dumped.</summary>
public sealed class AcquirerOutageTests : IAsyncLifetime
{
    private readonly SwitchableAcquirer _acquirer = new();
    private PaymentsHarness _payments = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _payments.DisposeAsync();

    private async Task Start(TimeSpan deadline) =>
        _payments = await PaymentsHarness.Start(new Dictionary<string, string?>
        {
            ["Payments:Acquirer:RetryAttempts"] = "0",
            ["Payments:Acquirer:AuthorisationDeadline"] = deadline.ToString(),
            ["Payments:Retry:OutageMinInterval"] = "00:00:00.050",
            ["Payments:Retry:OutageMaxInterval"] = "00:00:00.200",
        }, services => services.AddSingleton<IAcquirer>(_acquirer));

    [Fact]
    public async Task A_payment_waits_while_the_acquirer_is_down_and_is_authorised_once_it_is_back()
    {
        await Start(deadline: TimeSpan.FromMinutes(2));
        _acquirer.Answer = Answer.Fail;
        var command = Commands.Authorise(amount: 30.00m);

        await _payments.Send(command);

        // Far more tries than the quick retries allow (1 + 7) before a message would have gone to _error.
        await Eventually.Matches(_ => Task.FromResult(_acquirer.Calls(command.PaymentId)), calls => calls > 12,
            "the acquirer to be asked more than 12 times");
        Assert.Equal(nameof(PaymentStateMachine.Authorising), (await _payments.Payment(command.PaymentId))!.CurrentState);
        _acquirer.Answer = Answer.Approve;
        await _payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Authorised));
        Assert.Single(await _payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task A_payment_the_acquirer_never_answers_is_declined_at_its_deadline_and_nothing_is_held()
    {
        var (command, payment) = await DeclinedAtItsDeadline();

        Assert.Equal(DeclineCodes.AcquirerUnavailable, payment.DeclineCode);
        Assert.Empty(payment.CardToken);
        Assert.True(await _payments.SawEvents<PaymentDeclined>(
            m => m.PaymentId == command.PaymentId && m.ReasonCode == DeclineCodes.AcquirerUnavailable));
        Assert.Empty(await _payments.Ledger(command.PaymentId));

        // The acquirer comes back: a payment no longer waiting is not asked again.
        _acquirer.Answer = Answer.Approve;
        var callsAtDecline = _acquirer.Calls(command.PaymentId);
        await _payments.Send(Commands.Capture(command.PaymentId, 10.00m));
        Assert.True(await _payments.SawEvents<PaymentCommandRejected>(m => m.PaymentId == command.PaymentId));
        Assert.InRange(_acquirer.Calls(command.PaymentId), callsAtDecline, callsAtDecline + 1);
    }

    [Fact]
    public async Task An_approval_that_arrives_after_the_deadline_is_not_applied_and_is_counted_for_reversal()
    {
        using var lateApprovals = new LateApprovalCounter();
        var (command, _) = await DeclinedAtItsDeadline();

        await _payments.Send(new AcquirerAuthorisationCompleted { PaymentId = command.PaymentId, Approved = true, AcquirerReference = "late-1" });

        await Eventually.True(() => lateApprovals.Count == 1, "the late approval to be counted");
        var payment = await _payments.Payment(command.PaymentId);
        Assert.Equal((nameof(PaymentStateMachine.Declined), 0m), (payment!.CurrentState, payment.AuthorisedAmount));
        Assert.Empty(await _payments.Ledger(command.PaymentId));
    }

    [Fact]
    public async Task A_repeated_capture_republishes_its_event_under_the_first_MessageId()
    {
        await Start(deadline: TimeSpan.FromSeconds(4));
        _acquirer.Answer = Answer.Approve;
        var authorise = Commands.Authorise(amount: 50.00m);
        await _payments.Send(authorise);
        await _payments.WaitForState(authorise.PaymentId, nameof(PaymentStateMachine.Authorised));
        var capture = Commands.Capture(authorise.PaymentId, 20.00m, key: "capture-1");

        await _payments.Send(capture, Guid.NewGuid());
        await _payments.WaitForState(authorise.PaymentId, nameof(PaymentStateMachine.PartiallyCaptured));
        await _payments.Send(capture, Guid.NewGuid());

        await _payments.WaitUntilRepublishedUnderItsMessageId<PaymentCaptured>(m => m.PaymentId == authorise.PaymentId);
        Assert.Single(_payments.Events<PaymentCaptured>(m => m.PaymentId == authorise.PaymentId));
    }

    /// <summary>A payment authorised while the acquirer fails every call, until its 4 s deadline declines it.</summary>
    private async Task<(AuthorisePayment Command, PaymentState Payment)> DeclinedAtItsDeadline()
    {
        await Start(deadline: TimeSpan.FromSeconds(4));
        _acquirer.Answer = Answer.Fail;
        var command = Commands.Authorise(amount: 30.00m);
        await _payments.Send(command);
        return (command, await _payments.WaitForState(command.PaymentId, nameof(PaymentStateMachine.Declined), TimeSpan.FromSeconds(30)));
    }

    private enum Answer
    {
        Approve,
        Fail,
    }

    /// <summary>An acquirer a test switches between approving and failing transiently; it counts calls per payment.</summary>
    private sealed class SwitchableAcquirer : IAcquirer
    {
        private readonly ConcurrentDictionary<Guid, int> _calls = new();

        public volatile Answer Answer = Answer.Approve;

        public int Calls(Guid paymentId) => _calls.GetValueOrDefault(paymentId);

        public Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(request.PaymentId, 1, (_, n) => n + 1);
            return Answer == Answer.Approve
                ? Task.FromResult(AcquirerDecision.Approve($"ref-{request.PaymentId:N}"))
                : throw new AcquirerTransientException("The acquirer gateway is unreachable.");
        }
    }

    /// <summary>Listens to the service's late-approval counter.</summary>
    private sealed class LateApprovalCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public LateApprovalCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PaymentMetrics.MeterName && instrument.Name == "payments.acquirer.late_approvals")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
