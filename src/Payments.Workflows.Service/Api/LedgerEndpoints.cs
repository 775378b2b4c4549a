using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Ledger;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.Service.Security;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// GET /ledger/accounts/{accountId}: balances derived from the account's entries. A merchant key reads its own
/// <c>merchant:</c> account and the <c>customer:</c> accounts of its own payments; any other account is not found
/// for it, whether or not it exists. Ops reads every account.
/// </summary>
internal static class LedgerEndpoints
{
    private const string MerchantAccount = "merchant:";
    private const string CustomerAccount = "customer:";

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
        string accountId, ClaimsPrincipal user, PaymentsDbContext db, LedgerQueries ledger, CancellationToken cancellationToken)
    {
        if (!await MaySee(Caller.From(user), accountId, db, cancellationToken))
            return ApiProblems.AccountNotFound(accountId);

        var balances = await ledger.Balances(accountId, cancellationToken);
        return balances.Count == 0
            ? ApiProblems.AccountNotFound(accountId)
            : TypedResults.Ok(new AccountBalances(accountId,
                balances.Select(b => new AccountBalanceView(b.Currency, b.Posted, b.Pending, b.Available)).ToList()));
    }

    private static async Task<bool> MaySee(Caller caller, string accountId, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        if (caller.IsOps)
            return true;
        if (accountId.StartsWith(MerchantAccount, StringComparison.Ordinal))
            return caller.Sees(accountId[MerchantAccount.Length..]);
        if (!accountId.StartsWith(CustomerAccount, StringComparison.Ordinal))
            return false;
        var customerId = accountId[CustomerAccount.Length..];
        return await db.Payments.AsNoTracking().AnyAsync(p => p.MerchantId == caller.MerchantId && p.CustomerId == customerId, cancellationToken);
    }
}
