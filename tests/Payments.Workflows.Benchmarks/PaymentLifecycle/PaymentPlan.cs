namespace Payments.Workflows.Benchmarks.PaymentLifecycle;

/// <summary>Where a benchmark payment ends, and the saga state name it ends in.</summary>
public enum PaymentOutcome
{
    /// <summary>tok_decline: 10%.</summary>
    Declined,

    /// <summary>Authorised and never captured (the hold stays scheduled): 20%.</summary>
    Authorised,

    /// <summary>Captured in full: 63% (70% minus the refunded tenth of them).</summary>
    Captured,

    /// <summary>Captured in full, then refunded in part: 7% (10% of the captured).</summary>
    PartiallyRefunded,
}

/// <summary>The mix of workload 2, deterministic per payment index so every run (and every N) has the same shares.</summary>
public sealed record PaymentPlan(PaymentOutcome Outcome, bool Duplicated, decimal Amount)
{
    public const double DuplicateShare = 0.10;

    public static PaymentPlan For(int index)
    {
        // 37 and 53 are coprime to 100: each block of 100 payments takes every slot once, so shares are exact.
        var slot = index * 37 % 100;
        var outcome = slot switch
        {
            < 10 => PaymentOutcome.Declined,
            < 17 => PaymentOutcome.PartiallyRefunded,
            < 80 => PaymentOutcome.Captured,
            _ => PaymentOutcome.Authorised,
        };
        return new PaymentPlan(outcome, (index * 53 + 7) % 100 < 10, 10.00m + index % 990 + 0.25m);
    }

    public bool Captures => Outcome is PaymentOutcome.Captured or PaymentOutcome.PartiallyRefunded;

    public decimal RefundAmount => Math.Round(Amount * 0.4m, 2);

    /// <summary>The ledger operations this payment must have posted, once each.</summary>
    public string[] ExpectedPostings => Outcome switch
    {
        PaymentOutcome.Declined => [],
        PaymentOutcome.Authorised => ["Authorise"],
        PaymentOutcome.Captured => ["Authorise", "Capture"],
        _ => ["Authorise", "Capture", "Refund"],
    };
}
