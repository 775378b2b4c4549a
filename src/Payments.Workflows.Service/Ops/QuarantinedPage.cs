namespace Payments.Workflows.Service.Ops;

/// <summary>One page of quarantined rows, oldest quarantine first, with the total.</summary>
internal sealed record QuarantinedPage(IReadOnlyList<QuarantinedRow> Items, int Total, int Page, int PageSize);
