using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Payments.Workflows.Components;
using Payments.Workflows.Components.ApiKeys;
using Payments.Workflows.Components.Configuration;
using Payments.Workflows.Components.Persistence;

namespace Payments.Workflows.Service.Security;

/// <summary>
/// <c>api-keys create --merchant m-1 | --role ops</c>, <c>api-keys list</c>, <c>api-keys revoke &lt;prefix&gt;</c>: the
/// service's configuration and registrations, built but never started (no web server, no bus), on the same database,
/// with its migrations applied. Logs go to standard error; a new key is alone on the last line of standard output.
/// Any argument that is not the command's is configuration, as for the service (<c>--Payments:Database=PostgreSql</c>).
/// </summary>
internal static class ApiKeyCommandLine
{
    public const string Command = "api-keys";

    private const string Usage = """
        Usage:
          api-keys create --merchant <merchantId>   a key that acts on one merchant's payments
          api-keys create --role ops                a key that reads every payment and operates the service
          api-keys list                             prefixes, roles, merchants, created and revoked times
          api-keys revoke <prefix>                  e.g. api-keys revoke sk_test_ab12cd34
        """;

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == Command;

    public static async Task<int> Run(string[] args, Func<string[], WebApplicationBuilder> createBuilder, TextWriter output, TextWriter error)
    {
        var parsed = Parse(args);
        if (parsed.Problem is not null)
        {
            await error.WriteLineAsync(parsed.Problem + Environment.NewLine + Usage);
            return 2;
        }

        var builder = createBuilder([.. parsed.Configuration]);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddPaymentsWorkflows(builder.Configuration);
        builder.Services.AddPaymentsApi();

        List<string> lines;
        int code;
        var app = builder.Build();
        await using (app)
        {
            // The service's own start-up rules apply: a setting it would refuse is refused here, by name.
            try
            {
                app.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (OptionsValidationException invalid)
            {
                await error.WriteLineAsync(invalid.Message);
                return 1;
            }

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            if (app.Services.GetRequiredService<IOptions<PaymentsOptions>>().Value.ApplyMigrations)
                await db.Database.MigrateAsync();
            var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
            (code, lines) = parsed.Verb switch
            {
                "create" => await Create(store, parsed.Role!, parsed.MerchantId),
                "list" => (0, List(await store.List(CancellationToken.None))),
                _ => await Revoke(store, parsed.Prefix!),
            };
        }

        // After the host is disposed, so no log line is written after the key.
        foreach (var line in lines)
            await (code == 0 ? output : error).WriteLineAsync(line);
        return code;
    }

    private static async Task<(int, List<string>)> Create(ApiKeyStore store, string role, string? merchantId)
    {
        var (record, key) = await store.Create(role, merchantId, CancellationToken.None);
        var owner = record.MerchantId is null ? "the ops role" : $"merchant {record.MerchantId}";
        return (0, [$"Created {record.Prefix} for {owner}. This is the only time the key is shown; store it now:", key]);
    }

    private static List<string> List(IReadOnlyList<ApiKey> keys)
    {
        const string row = "{0,-18} {1,-9} {2,-20} {3,-21} {4}";
        var lines = new List<string> { string.Format(CultureInfo.InvariantCulture, row, "PREFIX", "ROLE", "MERCHANT", "CREATED (UTC)", "REVOKED (UTC)") };
        lines.AddRange(keys.Select(k => string.Format(CultureInfo.InvariantCulture, row,
            k.Prefix, k.Role, k.MerchantId ?? "-", Time(k.CreatedAt), k.RevokedAt is { } revoked ? Time(revoked) : "-")));
        return lines;
    }

    private static async Task<(int, List<string>)> Revoke(ApiKeyStore store, string prefix)
    {
        var record = await store.Revoke(prefix, CancellationToken.None);
        return record is null
            ? (1, [$"No key has the prefix '{prefix}'; 'api-keys list' shows them."])
            : (0, [$"Revoked {record.Prefix} at {Time(record.RevokedAt!.Value)} UTC; requests with it now get 401."]);
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Parsed Parse(string[] args)
    {
        var parsed = new Parsed { Verb = args.Length > 1 ? args[1] : null };
        for (var i = 2; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--merchant" when parsed.Verb == "create" && value is not null:
                    parsed.MerchantId = value;
                    i++;
                    break;
                case "--role" when parsed.Verb == "create" && value is not null:
                    parsed.Role = value;
                    i++;
                    break;
                case var prefix when parsed.Verb == "revoke" && parsed.Prefix is null && !prefix.StartsWith('-'):
                    parsed.Prefix = prefix;
                    break;
                default:
                    parsed.Configuration.Add(args[i]);
                    break;
            }
        }

        parsed.Role ??= parsed.MerchantId is null ? null : ApiKeyRoles.Merchant;
        parsed.Problem = parsed.Verb switch
        {
            "create" when !ApiKeyRoles.IsKnown(parsed.Role) => "create needs --merchant <merchantId> or --role ops.",
            "create" when parsed.Role == ApiKeyRoles.Ops && parsed.MerchantId is not null => "An ops key belongs to no merchant: drop --merchant.",
            "create" when parsed.Role == ApiKeyRoles.Merchant && string.IsNullOrWhiteSpace(parsed.MerchantId) => "A merchant key needs --merchant <merchantId>.",
            "create" when parsed.MerchantId is { Length: > ColumnLengths.ExternalId } => $"A merchant id has at most {ColumnLengths.ExternalId} characters.",
            "create" or "list" => null,
            "revoke" when parsed.Prefix is null => "revoke needs the key's prefix, e.g. sk_test_ab12cd34.",
            "revoke" => null,
            _ => $"Unknown command '{parsed.Verb}'.",
        };
        return parsed;
    }

    private sealed class Parsed
    {
        public string? Verb { get; init; }

        public string? Role { get; set; }

        public string? MerchantId { get; set; }

        public string? Prefix { get; set; }

        public string? Problem { get; set; }

        public List<string> Configuration { get; } = [];
    }
}
