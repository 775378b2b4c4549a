namespace Payments.Workflows.Messaging;

/// <summary>
/// A consume-context payload that says: a database transaction is already open on the scoped DbContext and
/// whoever put it there commits it. The saga repository finds it with <c>TryGetPayload</c> and then neither
/// begins nor commits a transaction of its own, so the saga row, the consumer's writes, the outgoing
/// messages and the inbox mark commit together.
/// </summary>
public interface IDbTransactionContext
{
    DbContext DbContext { get; }
}
