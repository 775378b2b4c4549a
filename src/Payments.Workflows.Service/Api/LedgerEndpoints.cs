using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Workflows.Components.Ledger;

namespace Payments.Workflows.Service.Api;

/// <summary>GET /ledger/accounts/{accountId}: balances derived from the account's entries.</summary>
internal static class LedgerEndpoints
{
    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/accounts/{accountId}", GetAccount)
            .WithTags("Ledger")
            .WithName("GetLedgerAccount")
            .WithSummary("Posted, pending and available balance per currency, e.g. for customer:{id} or merchant:{id}.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<AccountBalances>, ProblemHttpResult>> GetAccount(
        string accountId, LedgerQueries ledger, CancellationToken cancellationToken)
    {
        var balances = await ledger.Balances(accountId, cancellationToken);
        return balances.Count == 0
            ? ApiProblems.AccountNotFound(accountId)
            : TypedResults.Ok(new AccountBalances(accountId,
                balances.Select(b => new AccountBalanceView(b.Currency, b.Posted, b.Pending, b.Available)).ToList()));
    }
}
