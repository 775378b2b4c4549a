namespace Payments.Workflows.Service.Api;

/// <summary>The body of a capture or a refund; nullable so a missing amount is reported by name, not taken as zero.</summary>
internal sealed record AmountRequest(decimal? Amount);
