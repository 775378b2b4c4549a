namespace Payments.Workflows.Service.Api;

/// <summary>A void carries nothing but its key: an empty JSON object, or no body (still sent as application/json).</summary>
internal sealed record VoidRequest;
