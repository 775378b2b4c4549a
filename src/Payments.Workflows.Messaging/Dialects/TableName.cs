namespace Payments.Workflows.Messaging.Dialects;

/// <summary>A table's name and optional schema as the EF model maps it.</summary>
public readonly record struct TableName(string Name, string? Schema);
