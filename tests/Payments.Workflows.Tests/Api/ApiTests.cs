namespace Payments.Workflows.Tests.Api;

/// <summary>A test class on the API host it shares with its other tests; each test gets a merchant and a customer of its own.</summary>
public abstract class ApiTests(PaymentsApiFixture fixture) : IClassFixture<PaymentsApiFixture>
{
    protected PaymentsApiFixture Fixture { get; } = fixture;

    protected PaymentsApiClient Api => Fixture.Api;

    protected string Merchant { get; } = $"m-{Guid.NewGuid():N}"[..20];

    protected string Customer { get; } = $"c-{Guid.NewGuid():N}"[..20];
}
