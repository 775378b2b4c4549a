using System.Diagnostics;
using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// The acquirer hanging (taking calls and never answering) while two instances take payments: a payment it never
/// answers ends Declined with <c>acquirer-unavailable</c> at its deadline and holds nothing, none stays Authorising, an
/// approval arriving past the deadline is not applied but counted for a reversal, and payments after it heals are captured.
/// </summary>
public sealed class AcquirerHangTests(PostgresServer postgres, RabbitMqServer rabbitMq)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Payments_started_while_the_acquirer_hangs_are_declined_at_their_deadline_and_those_after_it_heals_are_captured()
    {
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_acq_hang", Settings(attemptTimeout: null));
        using var lateApprovals = new LateApprovals(rig);

        var before = await new PaymentTraffic(rig, "before").Run(6, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(60));
        foreach (var instance in rig.Instances)
            instance.Acquirer.Hang();
        rig.Log("acquirer hanging");

        var hanging = new PaymentTraffic(rig, "hanging");
        var unanswered = await hanging.AuthoriseOnly(10, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(30));
        Assert.Empty(hanging.Failures);
        rig.Log($"{unanswered.Count} payments accepted while the acquirer hangs");
        await Eventually.Matches(_ => States(rig, unanswered), states => states.All(s => s == nameof(PaymentStateMachine.Declined)),
            "every payment started during the hang to be Declined", Deadline + TimeSpan.FromSeconds(40), s => string.Join(", ", s), TestContext.Current.CancellationToken);
        rig.Log("every payment started during the hang is Declined");

        rig.Log("acquirer calls for them so far: " + string.Join(", ", unanswered.Select(id => rig.Acquirers.Sum(a => a.CallsFor(id)))));
        foreach (var instance in rig.Instances)
            instance.Acquirer.Heal();
        var healed = Stopwatch.StartNew();
        rig.Log("acquirer healed");
        var after = new PaymentTraffic(rig, "after");
        var answered = await after.Run(10, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(90));
        rig.Log($"{healed.Elapsed.TotalSeconds:0.0} s from the heal to the last of {answered.Count} later payments captured");

        await rig.AssertEveryPaymentCapturedOnce([.. before, .. answered], TimeSpan.FromSeconds(15));
        Assert.Empty(after.Failures);
        await AssertDeclinedAtTheDeadline(rig, unanswered);
        // An attempt still hanging when the payment was declined may be answered once the acquirer heals: each such
        // approval is counted for a reversal, and (checked above) none of them is applied.
        var approvedLate = unanswered.Count(id => rig.Acquirers.Any(a => a.DecisionFor(id) is { Approved: true }));
        await Eventually.True(() => lateApprovals.Count == approvedLate, $"{approvedLate} late approvals to be counted");
        rig.Log($"late approvals: {lateApprovals.Count}");
    }

    [Fact]
    public async Task An_approval_that_arrives_once_past_the_deadline_is_not_applied_and_is_counted_for_a_reversal()
    {
        // Attempts outlast the deadline: a hanging call is still waiting when its payment is declined.
        await using var rig = await OutageRig.Start(postgres, rabbitMq, "outage_acq_late", Settings(attemptTimeout: TimeSpan.FromMinutes(2)));
        using var lateApprovals = new LateApprovals(rig);
        foreach (var instance in rig.Instances)
            instance.Acquirer.Hang();

        var hanging = new PaymentTraffic(rig, "late");
        var payments = await hanging.AuthoriseOnly(4, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
        Assert.Empty(hanging.Failures);
        await Eventually.Matches(_ => States(rig, payments), states => states.All(s => s == nameof(PaymentStateMachine.Declined)),
            "every payment to be Declined at its deadline", Deadline + TimeSpan.FromSeconds(40), s => string.Join(", ", s), TestContext.Current.CancellationToken);
        Assert.All(payments, id => Assert.True(rig.Acquirers.Sum(a => a.CallsFor(id)) == 1 && rig.Acquirers.All(a => a.DecisionFor(id) is null),
            $"Payment {id} has no single call still waiting on the acquirer."));
        rig.Log("every payment is Declined, each with its call still waiting on the acquirer");

        foreach (var instance in rig.Instances)
            instance.Acquirer.Heal();
        await Eventually.True(() => lateApprovals.Count == payments.Count, $"{payments.Count} late approvals to be counted", TimeSpan.FromSeconds(30));
        rig.Log($"late approvals counted: {lateApprovals.Count}");

        Assert.All(payments, id => Assert.True(rig.Acquirers.Any(a => a.DecisionFor(id) is { Approved: true }), $"The acquirer never approved {id}."));
        await AssertDeclinedAtTheDeadline(rig, payments);
        await Eventually.Matches(_ => rig.ErrorQueuesWithMessages(), q => q.Count == 0, "no message in any _error queue",
            TimeSpan.FromSeconds(10), cancellationToken: TestContext.Current.CancellationToken);
        LedgerAssert.SumsToZero(await rig.Instances[0].Driver.AllEntries());
    }

    private static Dictionary<string, string?> Settings(TimeSpan? attemptTimeout)
    {
        var settings = new Dictionary<string, string?> { ["Payments:Acquirer:AuthorisationDeadline"] = Deadline.ToString() };
        if (attemptTimeout is { } timeout)
            settings["Payments:Acquirer:AttemptTimeout"] = timeout.ToString();
        return settings;
    }

    private static async Task<string[]> States(OutageRig rig, IReadOnlyList<Guid> payments) =>
        [.. await Task.WhenAll(payments.Select(async id => (await rig.Instances[0].Driver.Payment(id))?.CurrentState ?? "(none)"))];

    /// <summary>Declined for <c>acquirer-unavailable</c>, the card token forgotten, nothing posted.</summary>
    private static async Task AssertDeclinedAtTheDeadline(OutageRig rig, IReadOnlyList<Guid> payments)
    {
        foreach (var id in payments)
        {
            var payment = await rig.Instances[0].Driver.Payment(id);
            Assert.NotNull(payment);
            Assert.Equal((nameof(PaymentStateMachine.Declined), DeclineCodes.AcquirerUnavailable, 0m),
                (payment.CurrentState, payment.DeclineCode, payment.AuthorisedAmount));
            Assert.True(string.IsNullOrEmpty(payment.CardToken), $"Payment {id} still holds its card token.");
            Assert.Empty(await rig.Instances[0].Driver.Ledger(id));
        }
    }
}
