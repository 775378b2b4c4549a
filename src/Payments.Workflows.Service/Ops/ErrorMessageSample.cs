namespace Payments.Workflows.Service.Ops;

/// <summary>One message of a group: its MessageId and the first 200 characters of its MT-Fault-Message.</summary>
internal sealed record ErrorMessageSample(string? MessageId, string? Reason);
