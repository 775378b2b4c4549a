using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Testing.Driving;

/// <summary><see cref="IPaymentsDriver"/> over the service's container; a host supplies the container and its lifetime.</summary>
public abstract class PaymentsDriver : IPaymentsDriver
{
    public abstract IServiceProvider Services { get; }

    private static CancellationToken TestCancellation => TestContext.Current.CancellationToken;

    public async Task Send<T>(T message, Guid? messageId = null, CancellationToken cancellationToken = default)
        where T : class
    {
        if (!cancellationToken.CanBeCanceled)
            cancellationToken = TestCancellation;
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(PaymentStateDefinition.Address);
        await endpoint.Send(message, c => c.MessageId = messageId ?? NewId.NextGuid(), cancellationToken);
    }

    public async Task<PaymentState?> Payment(Guid paymentId, CancellationToken cancellationToken = default)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Payments.AsNoTracking()
            .SingleOrDefaultAsync(p => p.CorrelationId == paymentId, cancellationToken);
    }

    public async Task<PaymentState> WaitForState(Guid paymentId, string state, TimeSpan? timeout = null) =>
        (await Eventually.Matches(ct => Payment(paymentId, ct), p => p?.CurrentState == state, $"payment {paymentId} to reach {state}",
            timeout, p => p?.CurrentState ?? "(no payment)", TestCancellation))!;

    public async Task<IReadOnlyList<LedgerTransaction>> Ledger(Guid paymentId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerQueries>().ForPayment(paymentId, TestCancellation);
    }

    public async Task<IReadOnlyList<LedgerEntry>> AllEntries()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().LedgerEntries.AsNoTracking()
            .ToListAsync(TestCancellation);
    }

    public async Task<int> Count<T>(Func<IQueryable<T>, IQueryable<T>>? filter = null)
        where T : class
    {
        await using var scope = Services.CreateAsyncScope();
        var set = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().Set<T>().AsNoTracking();
        return await (filter?.Invoke(set) ?? set).CountAsync(TestCancellation);
    }

    public abstract ValueTask DisposeAsync();
}
