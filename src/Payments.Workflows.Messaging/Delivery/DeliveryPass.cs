namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// What one delivery pass did. <paramref name="Outage"/> is the transport fault that stopped it when the broker was
/// away (no row was charged an attempt for it); null when the transport worked.
/// </summary>
internal readonly record struct DeliveryPass(int Claimed, int Sent, int Failed, Exception? Outage = null);
