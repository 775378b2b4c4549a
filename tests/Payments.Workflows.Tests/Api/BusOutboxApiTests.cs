using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Api;

/// <summary>The API's commands go through the bus outbox: accepted while the broker is away, sent when it is back.</summary>
public sealed class BusOutboxApiTests : IAsyncLifetime
{
    // The delivery service backs off while the bus is down; keep its longest wait short so the test sees the return soon.
    private readonly PaymentsApiFactory _factory = new(new Dictionary<string, string?> { ["Payments:Messaging:UnhealthyMaxDelay"] = "00:00:01" });
    private PaymentsApiClient _api = null!;

    public ValueTask InitializeAsync()
    {
        _api = new PaymentsApiClient(_factory.CreateKeyedClient());
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>Rows due for sending now; each authorised payment also leaves its hold expiry, due days later.</summary>
    private async Task<int> DueOutboxRows()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var now = DateTime.UtcNow;
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Set<OutboxMessage>().CountAsync(m => m.DueAt <= now);
    }

    [Fact]
    public async Task Payments_accepted_while_the_bus_is_down_wait_in_the_outbox_and_go_out_when_it_returns()
    {
        var bus = _factory.Services.GetRequiredService<IBusControl>();
        await bus.StopAsync(TestContext.Current.CancellationToken);

        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var response = await _api.Authorise(PaymentsApiClient.AuthoriseBody("m-outbox", $"c-{i}", 10.00m + i), $"outbox-{i}-{Guid.NewGuid():N}");
            ids.Add(await PaymentsApiClient.Accepted(response));
        }

        Assert.Equal(5, await DueOutboxRows());
        Assert.All(ids, id => Assert.Equal("Accepted", _api.Get(id).GetAwaiter().GetResult().State));

        await bus.StartAsync(TestContext.Current.CancellationToken);

        foreach (var id in ids)
            await _api.WaitForState(id, "Authorised", TimeSpan.FromSeconds(30));
        await Eventually.Matches(_ => DueOutboxRows(), rows => rows == 0, "the delivered outbox rows to be removed");
    }
}
