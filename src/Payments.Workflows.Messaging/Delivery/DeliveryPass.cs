namespace Payments.Workflows.Messaging.Delivery;

internal readonly record struct DeliveryPass(int Claimed, int Sent, int Failed);
