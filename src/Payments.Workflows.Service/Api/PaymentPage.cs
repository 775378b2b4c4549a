namespace Payments.Workflows.Service.Api;

/// <summary>One page of payments, newest first, with the total that matched.</summary>
internal sealed record PaymentPage(IReadOnlyList<PaymentSummary> Items, int Total, int Page, int PageSize);
