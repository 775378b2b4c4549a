using System.Net.Http.Headers;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Outages;

/// <summary>
/// The README's run command: embedded SQLite and the in-memory transport, nothing installed. A crash loses nothing
/// (every accepted payment completes after a restart, each posting once), and a database another writer holds
/// locked is waited out.
/// </summary>
public sealed class EmbeddedDefaultOutageTests : IDisposable
{
    // The Development keys docs/security.md publishes (merchant m-1, ops).
    private const string MerchantKey = "sk_test_m1DevelopmentOnlyNeverUseOutsideDevelopment";
    private const string OpsKey = "sk_test_opsDevelopmentOnlyNeverUseOutsideDevelopment";

    private readonly TestSqliteFile _database = new("payments-embedded-outages");

    [Fact]
    public async Task Killed_mid_stream_the_embedded_service_completes_every_accepted_payment_after_a_restart_posting_each_once()
    {
        const int Payments = 30;
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Payments"] = $"Data Source={_database.Path}",
            // Slow enough that the last payments are still with the acquirer when the process dies, however fast or slow
            // the machine (at 500 ms a fresh-clone CI run once saw all 30 finished before the kill).
            ["Payments__Acquirer__Latency"] = "00:00:02",
        };

        var accepted = new List<Guid>();
        int unfinishedAtKill;
        await using (var service = ServiceProcess.Start(ServiceProcess.ServiceFolder, settings))
        {
            var (merchant, ops) = await Clients(service);
            for (var i = 0; i < Payments; i++)
            {
                var response = await merchant.Authorise(PaymentsApiClient.AuthoriseBody("m-1", $"customer-{i}"), $"crash-{i}");
                accepted.Add(await PaymentsApiClient.Accepted(response));
            }

            unfinishedAtKill = 0;
            foreach (var id in accepted)
                unfinishedAtKill += (await ops.Get(id)).State is "Accepted" or "Authorising" ? 1 : 0;
            await service.Kill();
        }

        Assert.True(unfinishedAtKill > 0, "Every payment had finished before the kill: the test proves nothing.");

        await using var restarted = ServiceProcess.Start(ServiceProcess.ServiceFolder, settings);
        var (again, reader) = await Clients(restarted);
        foreach (var id in accepted)
            await reader.WaitForState(id, "Authorised", TimeSpan.FromSeconds(60));

        foreach (var id in accepted)
            await PaymentsApiClient.Accepted(await again.Capture(id, 100.00m, $"capture-{id:N}"));

        foreach (var id in accepted)
        {
            var payment = await reader.WaitForState(id, "Captured", TimeSpan.FromSeconds(60));
            Assert.Single(payment.LedgerTransactions, t => t.Operation == "Authorise");
            Assert.Single(payment.LedgerTransactions, t => t.Operation == "Capture");
            AssertBalanced(payment);
        }
    }

    [Fact]
    public async Task With_the_database_locked_by_another_writer_for_ten_seconds_every_payment_completes_once_the_lock_is_gone()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Payments"] = $"Data Source={_database.Path}",
        });
        var api = new PaymentsApiClient(factory.CreateKeyedClient());
        var before = await api.Authorised("merchant-locked", "customer-before");
        // The merchant's key is made before the lock: making one is a write too.
        await factory.Keys.Merchant("merchant-locked");

        // Clients keep sending while the lock is held; a 503 is retried with the same key, as Retry-After asks.
        var payments = new List<Task<Guid>>();
        await using (await SqliteWriteLock.Take(_database.Path))
        {
            for (var i = 0; i < 10; i++)
                payments.Add(AuthoriseRetrying(api, $"locked-{i}"));
            await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }

        var ids = await Task.WhenAll(payments);
        Assert.Equal(10, ids.Distinct().Count());
        foreach (var id in ids.Append(before.PaymentId))
        {
            var payment = await api.WaitForState(id, "Authorised", TimeSpan.FromSeconds(60));
            Assert.Single(payment.LedgerTransactions, t => t.Operation == "Authorise");
            AssertBalanced(payment);
        }
    }

    public void Dispose() => _database.Dispose();

    private static async Task<Guid> AuthoriseRetrying(PaymentsApiClient api, string key)
    {
        var body = PaymentsApiClient.AuthoriseBody("merchant-locked", $"customer-{key}");
        while (true)
        {
            var response = await api.Authorise(body, key);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                return await PaymentsApiClient.Accepted(response);

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            await Task.Delay(wait, TestContext.Current.CancellationToken);
        }
    }

    private static void AssertBalanced(PaymentJson payment)
    {
        foreach (var transaction in payment.LedgerTransactions)
            Assert.Equal(transaction.Entries.Sum(e => e.Debit), transaction.Entries.Sum(e => e.Credit));
    }

    private static async Task<(PaymentsApiClient Merchant, PaymentsApiClient Ops)> Clients(ServiceProcess service)
    {
        var address = await service.WaitUntilListening();
        var ops = new PaymentsApiClient(Client(address, OpsKey));

        // The Development keys are seeded once the database is migrated, just after the server listens.
        await Eventually.True(async () => (await ops.Http.GetAsync("/payments", TestContext.Current.CancellationToken)).IsSuccessStatusCode,
            "the Development keys are seeded");
        return (new PaymentsApiClient(Client(address, MerchantKey)), ops);
    }

    private static HttpClient Client(Uri address, string key) =>
        new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
}
