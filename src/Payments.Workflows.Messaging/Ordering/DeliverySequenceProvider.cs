namespace Payments.Workflows.Messaging.Ordering;

/// <summary>Reads a delivery's <see cref="DeliverySequence"/>; null when the transport gives none.</summary>
public delegate DeliverySequence? DeliverySequenceProvider(ReceiveContext context);
