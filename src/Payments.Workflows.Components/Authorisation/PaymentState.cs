namespace Payments.Workflows.Components.Authorisation;

/// <summary>The saga instance of one payment, keyed by PaymentId.</summary>
public sealed class PaymentState : SagaStateMachineInstance
{
    /// <summary>
    /// How many operations one payment logs. Past it a new command is refused and not logged, so a client sending
    /// command after command cannot grow the payment's row without bound; repeats of logged keys are still answered.
    /// </summary>
    public const int MaxOperations = 100;

    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = null!;

    public string MerchantId { get; set; } = null!;

    public string CustomerId { get; set; } = null!;

    public string Currency { get; set; } = null!;

    /// <summary>Needed for the acquirer's call only: empty once the acquirer has answered or the deadline passed.</summary>
    public string CardToken { get; set; } = null!;

    /// <summary>What the authorisation asked for; it becomes the authorised amount once approved.</summary>
    public decimal RequestedAmount { get; set; }

    public decimal AuthorisedAmount { get; set; }

    public decimal CapturedAmount { get; set; }

    public decimal RefundedAmount { get; set; }

    public string AuthoriseIdempotencyKey { get; set; } = null!;

    public string? AcquirerReference { get; set; }

    public string? DeclineCode { get; set; }

    public string? DeclineReason { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? AuthorisedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    /// <summary>Token of the scheduled hold expiry, so it can be cancelled.</summary>
    public Guid? HoldExpiryTokenId { get; set; }

    /// <summary>Token of the scheduled authorisation deadline, cancelled when the acquirer answers.</summary>
    public Guid? AuthorisationDeadlineTokenId { get; set; }

    /// <summary>Every command seen, accepted or rejected, in arrival order: the idempotency log.</summary>
    public List<PaymentOperation> Operations { get; set; } = [];

    /// <summary>The log is full: a new command is refused with <see cref="Contracts.RejectionReasons.OperationLimit"/>.</summary>
    public bool IsAtOperationLimit => Operations.Count >= MaxOperations;

    public decimal UncapturedAmount => AuthorisedAmount - CapturedAmount;

    public decimal RefundableAmount => CapturedAmount - RefundedAmount;

    public PaymentOperation? FindOperation(string idempotencyKey) =>
        Operations.Find(o => string.Equals(o.IdempotencyKey, idempotencyKey, StringComparison.Ordinal));

    /// <summary>Logs an applied command; <paramref name="result"/> is the total after it (or the amount released).</summary>
    public void RecordAccepted(RecordedCommand command, decimal? result, DateTime now)
    {
        UpdatedAt = now;
        Operations.Add(new PaymentOperation
        {
            IdempotencyKey = command.IdempotencyKey,
            Command = command.Name,
            Amount = command.Amount,
            Accepted = true,
            ResultAmount = result,
            RecordedAt = now,
        });
    }

    /// <summary>Logs a refused command, so a repeat of its key is refused the same way.</summary>
    public void RecordRejected(RecordedCommand command, Rejection rejection, DateTime now)
    {
        UpdatedAt = now;
        Operations.Add(new PaymentOperation
        {
            IdempotencyKey = command.IdempotencyKey,
            Command = command.Name,
            Amount = command.Amount,
            Accepted = false,
            ReasonCode = rejection.Code,
            Reason = rejection.Reason,
            RecordedAt = now,
        });
    }
}
