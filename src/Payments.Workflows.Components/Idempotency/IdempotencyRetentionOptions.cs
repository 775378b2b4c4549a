namespace Payments.Workflows.Components.Idempotency;

/// <summary>How long the API keeps a request's idempotency record (Payments:Api:IdempotencyRetention).</summary>
public sealed class IdempotencyRetentionOptions
{
    /// <summary>The HTTP API's section, where the setting is documented with the API's others.</summary>
    public const string SectionName = "Payments:Api";

    /// <summary>
    /// A record older than this is deleted: a client retrying with its key after that gets a new request, not the
    /// first answer (Stripe keeps keys for 24 hours). Seven days by default.
    /// </summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(7);
}
