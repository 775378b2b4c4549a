namespace Payments.Workflows.Tests.Support;

/// <summary>
/// A test class whose every test runs on a fresh <see cref="PaymentsHarness"/>: started before the test with
/// <paramref name="settings"/> over the test defaults, stopped after it.
/// </summary>
public abstract class PaymentsHarnessTests(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected PaymentsHarness Payments { get; private set; } = null!;

    /// <summary>Settings in which an authorisation hold lasts <paramref name="holdDuration"/> (as "hh:mm:ss").</summary>
    protected static Dictionary<string, string?> HoldLasting(string holdDuration) =>
        new() { ["Payments:HoldDuration"] = holdDuration };

    public async ValueTask InitializeAsync() => Payments = await PaymentsHarness.Start(settings);

    public ValueTask DisposeAsync() => Payments.DisposeAsync();
}
