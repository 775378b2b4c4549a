namespace Payments.Workflows.Messaging.Delivery;

/// <summary>Takes delivered marks off the consumer's hot path, and knows which committed rows this process is sending.</summary>
internal interface IDeliveredMarks
{
    /// <summary>Queues the mark; false when the writer no longer accepts marks (the caller writes it itself).</summary>
    bool TryEnqueue(DeliveredMark mark);

    /// <summary>
    /// The consumer that committed these rows sends them now: a copy of its message arriving meanwhile (whose
    /// inbox row shows consumed but not yet delivered) leaves them to it instead of sending them a second time.
    /// </summary>
    void Claim(IEnumerable<long> sequenceNumbers);

    /// <summary>The rows are deleted, or their sender gave up (the delivery service sends them after the hand-off delay).</summary>
    void Release(IEnumerable<long> sequenceNumbers);

    bool IsClaimed(long sequenceNumber);
}
