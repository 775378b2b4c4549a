using Microsoft.Data.Sqlite;
using Payments.Workflows.Service.Security;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Health;

/// <summary>
/// The service starts and serves /health/live while its database is away, stays unready until it comes, and turns
/// ready without a restart once migrations could be applied.
/// </summary>
public sealed class DatabaseDownAtStartupTests
{
    [Fact]
    public async Task Without_its_PostgreSql_server_the_service_starts_live_unready_and_answers_503_to_commands_and_queries()
    {
        // Nothing listens on port 1: every connection is refused.
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["Payments:Database"] = "PostgreSql",
            ["ConnectionStrings:Payments"] = "Host=127.0.0.1;Port=1;Database=payments;Username=payments;Password=secret-password;Timeout=2",
        });
        // A key cannot be made without the database; the documented Development key is well formed, and the service
        // cannot check it either: 503, not 401.
        var api = new PaymentsApiClient(factory.CreateClient());
        api.Http.DefaultRequestHeaders.Authorization = new("Bearer", DevelopmentApiKeys.MerchantOne);

        var live = await HealthReport.Get(api.Http, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live.Code);

        var ready = await HealthReport.Get(api.Http, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        Assert.Equal("Unhealthy", ready.Status);
        Assert.Equal("Unhealthy", ready.Checks["payments-db"]);
        Assert.DoesNotContain("secret-password", ready.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", ready.Body, StringComparison.Ordinal);

        var authorise = await api.Authorise(PaymentsApiClient.AuthoriseBody("merchant-down", "customer-down"), $"auth-{Guid.NewGuid():N}");
        await ApiAssert.Problem(authorise, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(authorise.Headers.RetryAfter);

        var query = await api.Http.GetAsync($"/payments/{Guid.NewGuid()}");
        await ApiAssert.Problem(query, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(query.Headers.RetryAfter);
        Assert.DoesNotContain("127.0.0.1", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SQLite_database_locked_at_start_up_turns_ready_without_a_restart_once_released()
    {
        using var database = new TestSqliteFile("payments-health-tests");

        // Another process holds the database: the service's migrations cannot even read it.
        var holder = new SqliteConnection($"Data Source={database.Path};Pooling=False");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (holder)
        {
            await Execute(holder, "BEGIN EXCLUSIVE;");
            await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
            {
                // A short busy timeout, so start-up fails fast while the file is held; long enough that the service's own
                // writers (migrations, seeding, delivery) do not refuse each other on a loaded machine once it is free.
                ["ConnectionStrings:Payments"] = $"Data Source={database.Path};Default Timeout=5",
            });
            var api = new PaymentsApiClient(factory.CreateKeyedClient());

            Assert.Equal(HttpStatusCode.OK, (await HealthReport.Get(api.Http, "/health/live")).Code);
            var unready = await HealthReport.Get(api.Http, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.Code);
            Assert.Equal("Unhealthy", unready.Checks["payments-db"]);

            await Execute(holder, "ROLLBACK;");
            await holder.CloseAsync();

            var ready = await Eventually.Matches(_ => HealthReport.Get(api.Http, "/health/ready"), r => r.Code == HttpStatusCode.OK,
                "readiness once the database is free", TimeSpan.FromSeconds(15));
            Assert.Equal("Healthy", ready.Status);
            var payment = await api.Authorised("merchant-late-db", "customer-late-db");
            Assert.Equal("Authorised", payment.State);
        }
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
