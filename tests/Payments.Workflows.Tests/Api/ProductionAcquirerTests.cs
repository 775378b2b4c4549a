using Microsoft.Extensions.Options;
using Payments.Workflows.Components.Acquirer;

namespace Payments.Workflows.Tests.Api;

/// <summary>The simulated acquirer approves any card: Production refuses it unless it is explicitly meant.</summary>
public sealed class ProductionAcquirerTests
{
    private static Dictionary<string, string?> Production(string simulated) => new()
    {
        ["environment"] = "Production",
        ["Payments:AllowInMemoryTransport"] = "true",
        ["Payments:Acquirer:Simulated"] = simulated,
    };

    [Fact]
    public async Task In_Production_start_up_on_the_simulated_acquirer_fails_naming_the_setting()
    {
        await using var factory = new PaymentsApiFactory(Production(simulated: "false"));

        var error = Record.Exception(() => factory.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Innermost<OptionsValidationException>(error));
        Assert.Contains("Payments__Acquirer__Simulated=true", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Production_the_simulated_acquirer_runs_when_explicitly_allowed()
    {
        await using var factory = new PaymentsApiFactory(Production(simulated: "true"));
        var api = new PaymentsApiClient(factory.CreateKeyedClient());

        var payment = await api.Authorised("merchant-prod-simulated", "customer-prod-simulated");

        Assert.Equal("Authorised", payment.State);
    }

    [Fact]
    public async Task In_Production_a_real_acquirer_needs_no_opt_in()
    {
        await using var factory = new PaymentsApiFactory(Production(simulated: "false"));
        using var withAcquirer = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IAcquirer, ApprovingAcquirer>()));

        var live = await withAcquirer.CreateClient().GetAsync("/health/live", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static T? Innermost<T>(Exception? error)
        where T : Exception
    {
        T? found = null;
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T match)
                found = match;
        }

        return found;
    }

    /// <summary>Stands for an acquirer adapter a deployment registers in place of the simulated one.</summary>
    private sealed class ApprovingAcquirer : IAcquirer
    {
        public Task<AcquirerDecision> Authorise(RequestAcquirerAuthorisation request, string cardToken, CancellationToken cancellationToken) =>
            Task.FromResult(AcquirerDecision.Approve($"real-{request.PaymentId:N}"));
    }
}
