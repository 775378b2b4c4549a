using Microsoft.AspNetCore.Builder;
using Payments.Workflows.Service.Security;
using Payments.Workflows.Tests.Api;

namespace Payments.Workflows.Tests.Security;

/// <summary>
/// <c>api-keys create|list|revoke</c> through the entry point's own code, on the database a service host then uses:
/// the created key works, the list never shows a key, a revoked key gets 401.
/// </summary>
public sealed class ApiKeyCommandLineTests : IDisposable
{
    private readonly TestSqliteFile _database = new("payments-cli-tests");

    [Fact]
    public async Task A_created_key_works_is_listed_by_prefix_only_and_gets_401_once_revoked()
    {
        var (created, output, _) = await Run("create", "--merchant", "merchant-cli");
        Assert.Equal(0, created);
        var key = output[^1];
        Assert.Matches("^sk_test_[0-9A-Za-z]{43}$", key);
        var prefix = key[..16];

        await using var service = new PaymentsApiFactory(new Dictionary<string, string?> { ["ConnectionStrings:Payments"] = $"Data Source={_database.Path}" });
        Assert.Equal(HttpStatusCode.OK, (await Get(service, key)).StatusCode);

        var (listed, list, _) = await Run("list");
        Assert.Equal(0, listed);
        var row = Assert.Single(list, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Contains("merchant-cli", row, StringComparison.Ordinal);
        Assert.DoesNotContain(string.Join('\n', list), key, StringComparison.Ordinal);

        var (revoked, _, _) = await Run("revoke", prefix);
        Assert.Equal(0, revoked);
        var refused = await Get(service, key);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task An_ops_key_is_made_with_role_ops_and_a_bad_command_exits_non_zero_naming_its_use()
    {
        var (code, output, _) = await Run("create", "--role", "ops");
        Assert.Equal(0, code);
        Assert.StartsWith("sk_test_", output[^1], StringComparison.Ordinal);

        var (bad, _, error) = await Run("create", "--role", "ops", "--merchant", "m-1");
        Assert.NotEqual(0, bad);
        Assert.Contains("api-keys create --merchant", error, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Run("revoke", "sk_test_nosuchkey")).Code);
    }

    public void Dispose() => _database.Dispose();

    private async Task<(int Code, string[] Output, string Error)> Run(params string[] command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            ApiKeyCommandLine.Command, .. command,
            $"--ConnectionStrings:Payments=Data Source={_database.Path}", "--environment=Test", "--Logging:LogLevel:Default=Warning",
        ];
        var code = await ApiKeyCommandLine.Run(args, WebApplication.CreateBuilder, output, error);
        return (code, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    private static Task<HttpResponseMessage> Get(PaymentsApiFactory service, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/payments");
        request.Headers.Authorization = new("Bearer", key);
        return service.CreateClient().SendAsync(request);
    }
}
