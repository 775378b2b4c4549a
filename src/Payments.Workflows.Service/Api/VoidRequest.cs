namespace Payments.Workflows.Service.Api;

/// <summary>A void carries nothing but its key; any JSON object, or no body, will do.</summary>
internal sealed record VoidRequest;
