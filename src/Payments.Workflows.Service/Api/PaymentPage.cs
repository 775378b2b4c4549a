namespace Payments.Workflows.Service.Api;

/// <summary>
/// One page of payments, newest first. <see cref="HasMore"/> says whether older ones match too; they are read with
/// <c>startingAfter=</c><see cref="NextStartingAfter"/>. No total: counting every match is what keyset paging avoids.
/// </summary>
internal sealed record PaymentPage(IReadOnlyList<PaymentSummary> Items, bool HasMore, string? NextStartingAfter);
