using System.Diagnostics.Metrics;
using Payments.Workflows.Components.Diagnostics;

namespace Payments.Workflows.IntegrationTests.Outages;

/// <summary>
/// The service's late-approval counter (approvals that arrived after the payment was declined at its deadline), summed
/// over the instances of one rig: meters of other hosts in the test process are not counted.
/// </summary>
internal sealed class LateApprovals : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public LateApprovals(OutageRig rig)
    {
        var factories = rig.Instances.Select(i => i.Services.GetRequiredService<IMeterFactory>()).ToHashSet();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PaymentMetrics.MeterName && instrument.Name == "payments.acquirer.late_approvals"
                && instrument.Meter.Scope is IMeterFactory factory && factories.Contains(factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
