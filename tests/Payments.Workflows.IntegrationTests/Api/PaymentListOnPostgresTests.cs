using System.Net.Http.Json;
using System.Text.Json;
using Payments.Workflows.Components.Authorisation;
using Payments.Workflows.Components.Persistence;
using Payments.Workflows.IntegrationTests.Outages;

namespace Payments.Workflows.IntegrationTests.Api;

/// <summary>
/// Keyset paging of GET /payments on PostgreSQL, whose uuid order differs from SQLite's text order: every payment once,
/// newest first, ties on the creation time broken by the id in the database's own order.
/// </summary>
public sealed class PaymentListOnPostgresTests(PostgresServer postgres)
{
    private static readonly DateTime Start = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Paging_through_250_payments_on_PostgreSQL_returns_each_exactly_once_newest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await postgres.CreateDatabaseAsync("payment_list", ct);
        try
        {
            using var service = ServiceInstance.Start("list", TestSettings.For("PostgreSql", connectionString).WarningsOnly()
                .With(new Dictionary<string, string?> { ["Payments:Transport"] = "InMemory", ["Payments:ApplyMigrations"] = "true" }));
            var merchant = $"m-{Guid.NewGuid():N}"[..20];
            var payments = Enumerable.Range(0, 250).Select(i => Payment(merchant, Start.AddSeconds(i / 3))).ToList();
            await using (var scope = service.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
                db.Payments.AddRange(payments);
                await db.SaveChangesAsync(ct);
            }

            var seen = new List<(Guid Id, DateTime CreatedAt)>();
            string? cursor = null;
            bool hasMore;
            do
            {
                var page = await service.Http.GetFromJsonAsync<JsonElement>(
                    $"/payments?merchantId={merchant}&limit=100{(cursor is null ? "" : $"&startingAfter={cursor}")}", ct);
                seen.AddRange(page.GetProperty("items").EnumerateArray()
                    .Select(i => (i.GetProperty("paymentId").GetGuid(), i.GetProperty("createdAt").GetDateTime())));
                hasMore = page.GetProperty("hasMore").GetBoolean();
                cursor = hasMore ? page.GetProperty("nextStartingAfter").GetString() : null;
            }
            while (hasMore);

            Assert.Equal(payments.Select(p => p.CorrelationId).Order(), seen.Select(s => s.Id).Order());
            Assert.Equal(seen.Select(s => s.CreatedAt).OrderDescending(), seen.Select(s => s.CreatedAt));
        }
        finally
        {
            await postgres.DropDatabaseAsync(connectionString, ct);
        }
    }

    private static PaymentState Payment(string merchant, DateTime createdAt) => new()
    {
        CorrelationId = Guid.NewGuid(), CurrentState = "Authorised", MerchantId = merchant, CustomerId = "customer-list", Currency = "EUR",
        CardToken = "", RequestedAmount = 10.00m, AuthorisedAmount = 10.00m, AuthoriseIdempotencyKey = $"auth-{Guid.NewGuid():N}",
        CreatedAt = createdAt, UpdatedAt = createdAt,
    };
}
