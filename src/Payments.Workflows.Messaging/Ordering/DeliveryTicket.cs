namespace Payments.Workflows.Messaging.Ordering;

/// <summary>A delivery's place in its stream, carried on the receive context from the receive filter to the partition.</summary>
internal sealed record DeliveryTicket(DeliveryTurnstile Turnstile, string StreamName, ulong Number)
{
    public void Pass() => Turnstile.Pass(Number);
}
