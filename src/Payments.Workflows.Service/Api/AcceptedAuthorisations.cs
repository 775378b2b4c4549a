using Microsoft.EntityFrameworkCore;
using Payments.Workflows.Components.Idempotency;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Api;

/// <summary>
/// Authorisations the API accepted and the saga may not have recorded yet: their payment already exists for the API,
/// so the Location of a 202 answers, and a capture or void may follow, from the first moment.
/// </summary>
internal static class AcceptedAuthorisations
{
    public static Task<IdempotentRequest?> Find(PaymentsDbContext db, Guid paymentId, CancellationToken cancellationToken) =>
        db.IdempotentRequests.AsNoTracking()
            .Where(r => r.PaymentId == paymentId && r.Scope.StartsWith(IdempotencyScopes.AuthorisePrefix))
            .OrderBy(r => r.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
}
