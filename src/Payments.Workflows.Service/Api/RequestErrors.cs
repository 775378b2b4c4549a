using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Workflows.Components.Validation;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Collects every problem with a request, by field, so the client fixes them in one round. The rules are
/// <see cref="CommandValidation"/>'s, the same the raw AMQP consumers apply. A request refused as a whole (415, 413)
/// is answered with that refusal alone.
/// </summary>
internal sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private ProblemHttpResult? _refusal;

    public bool Any => _errors.Count > 0 || _refusal is not null;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>The request cannot be read at all (wrong media type, too large): answered with this, whatever else is wrong.</summary>
    public void Refuse(ProblemHttpResult refusal) => _refusal ??= refusal;

    public void CheckIdempotencyKey(string? key) =>
        Check(ApiProblems.IdempotencyKeyHeader, CommandValidation.ProblemWithKey(key) is { } problem
            ? $"The {ApiProblems.IdempotencyKeyHeader} header is invalid: {problem}"
            : null);

    /// <summary>A required text field, no longer than the column that stores it, without control or bidirectional characters.</summary>
    public void CheckText(string field, string? value, int maximumLength) =>
        Check(field, CommandValidation.ProblemWithText(field, value, maximumLength));

    public void CheckCurrency(string? currency) => Check(CommandValidation.Fields.Currency, CommandValidation.ProblemWithCurrency(currency));

    /// <summary>
    /// An amount of <paramref name="currency"/>; when the currency is not known (yet), only what holds for every
    /// currency is checked and the saga checks the rest.
    /// </summary>
    public void CheckAmount(decimal? amount, string? currency) =>
        Check(CommandValidation.Fields.Amount, CommandValidation.ProblemWithAmount(amount, currency));

    public ProblemHttpResult ToProblem() =>
        _refusal ?? ApiProblems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    private void Check(string field, string? problem)
    {
        if (problem is not null)
            Add(field, problem);
    }
}
