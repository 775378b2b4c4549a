namespace Payments.Workflows.Components.Validation;

/// <summary>One thing wrong with a command: the field, by its camelCase JSON name, and why, with any echoed value made safe.</summary>
/// <param name="Field">The field's JSON name, e.g. merchantId or idempotencyKey.</param>
/// <param name="Message">What is wrong, for a person; values in it are cut and escaped by <see cref="CommandValidation.Echo"/>.</param>
public sealed record FieldProblem(string Field, string Message);
