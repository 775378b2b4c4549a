namespace Payments.Workflows.Service.Api;

/// <summary>Posted, pending and available balance in one currency.</summary>
internal sealed record AccountBalanceView(string Currency, decimal Posted, decimal Pending, decimal Available);
