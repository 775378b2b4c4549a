using Payments.Workflows.Components.Idempotency;

namespace Payments.Workflows.Components.Persistence;

/// <summary>Sizes of the columns the API fills from a request: it refuses a longer value before the database would.</summary>
public static class ColumnLengths
{
    /// <summary>Ids the client chooses: merchant and customer.</summary>
    public const int ExternalId = 64;

    public const int CardToken = 128;

    public const int IdempotencyKey = IdempotencyKeys.MaximumLength;
}
