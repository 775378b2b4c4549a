using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Money;

namespace Payments.Workflows.Service.Api;

/// <summary>Collects every problem with a request, by field, so the client fixes them in one round.</summary>
internal sealed class RequestErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
            _errors[field] = messages = [];
        messages.Add(message);
    }

    public void CheckIdempotencyKey(string? key)
    {
        if (IdempotencyKeys.Problem(key) is { } problem)
            Add(ApiProblems.IdempotencyKeyHeader, $"The {ApiProblems.IdempotencyKeyHeader} header is invalid: {problem}");
    }

    /// <summary>A required text field, no longer than the column that stores it.</summary>
    public void CheckText(string field, string? value, int maximumLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(field, $"{field} is required.");
        else if (value.Length > maximumLength)
            Add(field, $"{field} has at most {maximumLength} characters; got {value.Length}.");
    }

    /// <summary>
    /// An amount of <paramref name="currency"/>; when the currency is not known (yet), only what holds for every
    /// currency is checked and the saga checks the rest.
    /// </summary>
    public void CheckAmount(decimal? amount, string? currency)
    {
        if (amount is not { } value)
            Add("amount", "amount is required.");
        else if (currency is not null && Currencies.IsKnown(currency))
        {
            if (Currencies.ProblemWithAmount(value, currency) is { } problem)
                Add("amount", problem);
        }
        else if (value <= 0)
            Add("amount", $"Amount must be greater than zero; got {value}.");
        else if (value > Currencies.MaximumAmount)
            Add("amount", $"Amount must be at most {Currencies.MaximumAmount}; got {value}.");
    }

    public ProblemHttpResult ToProblem() => ApiProblems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
