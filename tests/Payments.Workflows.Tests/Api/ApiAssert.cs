using System.Net.Http.Json;

namespace Payments.Workflows.Tests.Api;

public static class ApiAssert
{
    /// <summary>An RFC 7807 answer with the status, naming <paramref name="field"/> (when given) in errors and detail.</summary>
    public static async Task<ProblemJson> Problem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemJson>(PaymentsApiClient.Json);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Type));
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        if (field is not null)
        {
            Assert.True(problem.Errors?.ContainsKey(field) == true, $"Problem does not name {field} in errors: {text}");
            Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
        }

        return problem;
    }

    /// <summary>Every transaction's debits equal its credits per currency and status.</summary>
    public static void Balanced(IEnumerable<LedgerTransactionJson> transactions)
    {
        foreach (var transaction in transactions)
        {
            Assert.True(transaction.Entries.Count >= 2, $"Transaction {transaction.TransactionId} has {transaction.Entries.Count} entries.");
            foreach (var group in transaction.Entries.GroupBy(e => (e.Currency, e.Status)))
            {
                Assert.True(group.Sum(e => e.Debit) == group.Sum(e => e.Credit),
                    $"{transaction.Operation} transaction {transaction.TransactionId} does not balance for {group.Key}.");
            }
        }
    }
}
