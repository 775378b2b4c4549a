using Microsoft.Extensions.Options;

namespace Payments.Workflows.Tests.Api;

/// <summary>The in-memory transport loses its queues with the process: Production refuses it unless told otherwise.</summary>
public sealed class ProductionTransportTests
{
    [Fact]
    public async Task In_Production_start_up_on_the_in_memory_transport_fails_naming_the_setting_and_the_opt_in()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["environment"] = "Production" });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var validation = Find<OptionsValidationException>(error);
        Assert.NotNull(validation);
        Assert.Contains("Payments__Transport", validation.Message, StringComparison.Ordinal);
        Assert.Contains("Payments__AllowInMemoryTransport", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Production_the_in_memory_transport_starts_when_explicitly_allowed()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Payments:AllowInMemoryTransport"] = "true",
        });
        var api = new PaymentsApiClient(factory.CreateKeyedClient());

        Assert.Equal("Production", factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
        var payment = await api.Authorised("merchant-prod-in-memory", "customer-prod-in-memory");
        Assert.Equal("Authorised", payment.State);
    }

    [Fact]
    public async Task Outside_Production_the_in_memory_transport_needs_no_opt_in()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?> { ["environment"] = "Development" });

        var live = await factory.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static T? Find<T>(Exception error)
        where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
                return found;
        }

        return null;
    }
}
