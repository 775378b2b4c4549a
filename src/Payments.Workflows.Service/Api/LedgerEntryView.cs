namespace Payments.Workflows.Service.Api;

/// <summary>One line of a posting.</summary>
internal sealed record LedgerEntryView(string Account, string Currency, decimal Debit, decimal Credit, string Status);
