namespace Payments.Workflows.Tests.Api;

/// <summary>
/// A command the database cannot commit is answered 503 with Retry-After and a problem body, never 500, and the
/// client's retry with the same key is the one that counts. The database refuses writes because another connection
/// holds SQLite's write lock; the service's busy timeout is lowered to one second so it gives up quickly.
/// </summary>
public sealed class DatabaseUnavailableApiTests : IAsyncLifetime
{
    private readonly TestSqliteFile _database = new("payments-api-tests");
    private PaymentsApiFactory _factory = null!;
    private PaymentsApiClient _api = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Payments"] = $"Data Source={_database.Path};Default Timeout=1",
        });
        _api = new PaymentsApiClient(_factory.CreateKeyedClient());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task An_authorisation_the_locked_database_cannot_commit_gets_503_and_its_retry_with_the_same_key_is_accepted_once_free()
    {
        var key = $"auth-{Guid.NewGuid():N}";
        var body = PaymentsApiClient.AuthoriseBody("merchant-locked", "customer-locked");
        // The merchant's key is made before the lock: making one is a write too.
        await _factory.Keys.Merchant("merchant-locked");

        HttpResponseMessage refused;
        await using (await SqliteWriteLock.Take(_database.Path))
            refused = await _api.Authorise(body, key);

        await AssertUnavailable(refused);
        var id = await PaymentsApiClient.Accepted(await _api.Authorise(body, key));
        var payment = await _api.WaitForState(id, "Authorised");
        Assert.Equal(100.00m, payment.AuthorisedAmount);
        Assert.Single(payment.LedgerTransactions, t => t.Operation == "Authorise");
    }

    [Fact]
    public async Task A_capture_the_locked_database_cannot_commit_gets_503_and_its_retry_captures_once()
    {
        var payment = await _api.Authorised("merchant-locked", "customer-locked", 50.00m);
        var key = $"cap-{Guid.NewGuid():N}";

        HttpResponseMessage refused;
        await using (await SqliteWriteLock.Take(_database.Path))
            refused = await _api.Capture(payment.PaymentId, 20.00m, key);

        await AssertUnavailable(refused);
        await PaymentsApiClient.Accepted(await _api.Capture(payment.PaymentId, 20.00m, key));
        var captured = await _api.WaitForState(payment.PaymentId, "PartiallyCaptured");
        Assert.Equal(20.00m, captured.CapturedAmount);
        Assert.Single(captured.LedgerTransactions, t => t.Operation == "Capture");
    }

    private static async Task AssertUnavailable(HttpResponseMessage response)
    {
        var problem = await ApiAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { } delta && delta > TimeSpan.Zero, $"Retry-After: {response.Headers.RetryAfter}");

        // No exception text, SQL or file path reaches the client.
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("locked", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(".db", text, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", problem.Detail, StringComparison.Ordinal);
    }
}
