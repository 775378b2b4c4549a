using Payments.Workflows.Messaging.Ordering;

namespace Payments.Workflows.Tests.Messaging;

/// <summary>The pieces that keep a partition in delivery order when deliveries reach it out of order.</summary>
public sealed class OrderedPartitionerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Deliveries_that_reach_the_turnstile_out_of_order_pass_it_in_delivery_order()
    {
        var turnstile = new DeliveryTurnstile();
        turnstile.Arrive(3);
        turnstile.Arrive(2);
        turnstile.Arrive(1);

        var third = turnstile.WaitForTurnAsync(3);
        var second = turnstile.WaitForTurnAsync(2);
        Assert.False(third.IsCompleted);
        Assert.False(second.IsCompleted);

        await turnstile.WaitForTurnAsync(1).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        turnstile.Pass(1);
        await second.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        turnstile.Pass(2);
        await third.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        turnstile.Pass(3);
        Assert.True(turnstile.IsIdle);
    }

    [Fact]
    public async Task A_delivery_that_never_arrives_holds_up_the_later_ones_only_until_the_timeout()
    {
        var partitioner = new OrderedPartitioner(4, _ => null, missingDeliveryTimeout: TimeSpan.FromMilliseconds(50));
        var turnstile = partitioner.Stream(new object());
        turnstile.Arrive(2);
        turnstile.Arrive(3);

        // 1 never arrives: 3 gives up on it, but still waits for 2, which did arrive.
        var third = partitioner.WaitForTurnAsync(new DeliveryTicket(turnstile, "consumer-1", 3), TestContext.Current.CancellationToken);
        await turnstile.WaitForTurnAsync(2).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        turnstile.Pass(2);
        await third.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_partition_lock_admits_callers_in_the_order_they_asked()
    {
        var partition = new FifoLock();
        await partition.EnterAsync(TestContext.Current.CancellationToken);
        var second = partition.EnterAsync(TestContext.Current.CancellationToken);
        using var gaveUp = new CancellationTokenSource();
        var third = partition.EnterAsync(gaveUp.Token);
        var fourth = partition.EnterAsync(TestContext.Current.CancellationToken);

        partition.Exit();
        await second.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.False(fourth.IsCompleted);

        // A caller that stopped waiting is passed over.
        await gaveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        partition.Exit();
        await fourth.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }
}
