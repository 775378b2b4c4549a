using System.Diagnostics.Metrics;

namespace Payments.Workflows.Components.Diagnostics;

/// <summary>The payment service's own instruments, on the meter <see cref="MeterName"/>.</summary>
internal sealed class PaymentMetrics
{
    public const string MeterName = "Payments.Workflows";

    private readonly Counter<long> _lateApprovals;

    public PaymentMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _lateApprovals = meter.CreateCounter<long>("payments.acquirer.late_approvals", unit: "{approval}",
            description: "Approvals that arrived after the payment was declined at its authorisation deadline; each needs a reversal at the acquirer.");
    }

    public void LateApproval() => _lateApprovals.Add(1);
}
