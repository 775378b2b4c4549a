using Payments.Workflows.Components.Authorisation;

namespace Payments.Workflows.Testing.Driving;

/// <summary>
/// What a test does with a running service: send a command to the payment saga, read a payment, wait for its state,
/// read the ledger. The fast tier's in-memory harness and the integration tier's host on RabbitMQ and PostgreSQL both
/// offer it, so a test reads the same on either.
/// </summary>
public interface IPaymentsDriver : IAsyncDisposable
{
    /// <summary>The service's container, for what the driver does not cover.</summary>
    IServiceProvider Services { get; }

    /// <summary>Sends <paramref name="message"/> to the saga's queue, with a new message id unless given one.</summary>
    /// <param name="cancellationToken">Defaults to the test's.</param>
    Task Send<T>(T message, Guid? messageId = null, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>Reads the payment as stored, or null; a fresh scope each time, so nothing is cached.</summary>
    Task<PaymentState?> Payment(Guid paymentId, CancellationToken cancellationToken = default);

    /// <summary>Waits until the payment is in <paramref name="state"/> and returns it; fails naming the state it was last in.</summary>
    Task<PaymentState> WaitForState(Guid paymentId, string state, TimeSpan? timeout = null);

    /// <summary>The payment's ledger transactions, with their entries.</summary>
    Task<IReadOnlyList<LedgerTransaction>> Ledger(Guid paymentId);

    /// <summary>Every ledger entry of every payment.</summary>
    Task<IReadOnlyList<LedgerEntry>> AllEntries();

    /// <summary>How many rows of <typeparamref name="T"/> the service's context holds (after <paramref name="filter"/>).</summary>
    Task<int> Count<T>(Func<IQueryable<T>, IQueryable<T>>? filter = null)
        where T : class;
}
