using Microsoft.Extensions.Hosting;
using Payments.Workflows.Components.Configuration;

namespace Payments.Workflows.Components.Acquirer;

/// <summary>
/// The simulated acquirer approves any card without asking a card network, so money the ledger then moves never
/// existed. In the Production environment the service refuses to start on it unless told it is meant
/// (<c>Payments__Acquirer__Simulated=true</c>: a demo, or a test environment that calls itself Production).
/// </summary>
/// <param name="usesSimulatedAcquirer">Whether the <see cref="IAcquirer"/> the container resolves is the simulated one.</param>
internal sealed class SimulatedAcquirerValidator(IHostEnvironment? environment, bool usesSimulatedAcquirer) : IValidateOptions<PaymentsOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentsOptions options) =>
        usesSimulatedAcquirer && environment?.IsProduction() == true && !options.Acquirer.Simulated
            ? ValidateOptionsResult.Fail("The acquirer is the simulated one, which approves any card without a card network, in the Production "
                + "environment. Register a real IAcquirer, or set Payments__Acquirer__Simulated=true if simulated payments are what this "
                + "deployment is for.")
            : ValidateOptionsResult.Success;

    /// <summary>
    /// Whether the last <see cref="IAcquirer"/> registered, the one the container resolves, is <see cref="SimulatedAcquirer"/>. Read
    /// from the registrations rather than by resolving it: an acquirer's constructor may read these very options.
    /// </summary>
    public static bool IsSimulated(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(IAcquirer) && !d.IsKeyedService) is { } acquirer
        && (acquirer.ImplementationType ?? acquirer.ImplementationInstance?.GetType()) == typeof(SimulatedAcquirer);
}
