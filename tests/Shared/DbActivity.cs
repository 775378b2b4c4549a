namespace Payments.Workflows.Testing;

/// <summary>Committed transactions and executed commands at one moment; subtract two to get the work between them.</summary>
public sealed record DbActivity(long Transactions, long Commands)
{
    public static DbActivity operator -(DbActivity after, DbActivity before) =>
        new(after.Transactions - before.Transactions, after.Commands - before.Commands);
}
