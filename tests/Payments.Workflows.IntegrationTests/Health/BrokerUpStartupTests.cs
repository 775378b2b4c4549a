namespace Payments.Workflows.IntegrationTests.Health;

/// <summary>
/// Start-up no longer blocks on the broker, but with the broker up it still completes only once the bus has bound
/// every queue: a command sent right after start is never dropped by an exchange with nothing behind it.
/// </summary>
public sealed class BrokerUpStartupTests(RabbitMqServer rabbitMq, PostgresServer postgres)
{
    [Fact]
    public async Task With_the_broker_up_start_up_completes_with_the_payment_queue_bound_to_its_exchange()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var broker = await rabbitMq.CreateVirtualHostAsync("brokerup", cancellation);
        var database = await postgres.CreateDatabaseAsync("brokerup", cancellation);
        var management = await rabbitMq.GetManagementClientAsync(cancellation);

        await using var service = await ServiceHost.Start(broker, database);

        var bindings = await management.GetBindingsAsync(RabbitMqServer.VirtualHostOf(broker), cancellation);
        Assert.Contains(bindings, b => b.Source == "payment-state" && b.Destination == "payment-state");
    }
}
