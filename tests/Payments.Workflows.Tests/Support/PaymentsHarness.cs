using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Payments.Workflows.Components;
using Payments.Workflows.Messaging.Persistence;

namespace Payments.Workflows.Tests.Support;

/// <summary>
/// The payment saga and consumers on MassTransit's in-memory test harness, with the real EF repository and
/// ledger on a SQLite file of the test's own.
/// </summary>
public sealed class PaymentsHarness : PaymentsDriver
{
    private readonly ServiceProvider _provider;
    private readonly TestSqliteFile _database;

    private PaymentsHarness(ServiceProvider provider, TestSqliteFile database)
    {
        _provider = provider;
        _database = database;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public override IServiceProvider Services => _provider;

    public ITestHarness Harness { get; }

    /// <param name="configure">Services the test puts in first, such as its own acquirer, which the service's defaults then leave alone.</param>
    public static async Task<PaymentsHarness> Start(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var database = new TestSqliteFile("payments-tests");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TestSettings.ForSqlite(database.Path).With(settings))
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        configure?.Invoke(services);
        PaymentsWorkflowsRegistration.AddPaymentsCore(services, configuration);
        services.AddMassTransitTestHarness(x =>
        {
            PaymentsWorkflowsRegistration.ConfigurePaymentsBus(x);
            x.AddConsumer<PaymentEventsSubscriber>();
        });
        var provider = services.BuildServiceProvider(true);

        await TestDatabase.Create(provider);
        var harness = new PaymentsHarness(provider, database);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Events of type <typeparamref name="T"/> a subscriber has received so far.</summary>
    public IReadOnlyList<T> Events<T>(Func<T, bool> filter)
        where T : class =>
        Harness.Consumed.Select<T>(x => filter(x.Context.Message)).Select(x => x.Context.Message).ToList();

    /// <summary>
    /// Waits until the one event matching <paramref name="filter"/> that the subscriber consumed reached it a second
    /// time under the same MessageId, and its inbox dropped the copy: the inbox counts every receipt of a MessageId.
    /// </summary>
    public async Task<T> WaitUntilRepublishedUnderItsMessageId<T>(Func<T, bool> filter)
        where T : class
    {
        await Eventually.True(() => Harness.Consumed.Select<T>(x => filter(x.Context.Message)).Any(), $"a {typeof(T).Name} to be consumed");
        var consumed = Harness.Consumed.Select<T>(x => filter(x.Context.Message)).Single();
        var messageId = consumed.Context.MessageId!.Value;
        await Eventually.True(async () => await Count<InboxState>(q => q.Where(x => x.MessageId == messageId && x.ReceiveCount >= 2)) > 0,
            $"{typeof(T).Name} {messageId} to arrive again");
        return consumed.Context.Message;
    }

    /// <summary>Waits until at least <paramref name="count"/> matching events were seen; true when they were.</summary>
    public Task<bool> SawEvents<T>(Func<T, bool> filter, int count = 1, TimeSpan? timeout = null)
        where T : class =>
        Eventually.Holds(() => Task.FromResult(Events(filter).Count >= count), timeout);

    public override async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        _database.Dispose();
    }
}
