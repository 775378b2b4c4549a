using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Payments.Workflows.Components.Configuration;

/// <summary>
/// In the Production environment, refuses a network hop without TLS: a PostgreSQL connection with <c>SSL Mode</c>
/// Disable or Allow, a SQL Server connection with <c>Encrypt=False</c> or <c>TrustServerCertificate=true</c>, or an
/// amqp:// broker URI, unless <c>Payments__AllowInsecureTransport=true</c>. A SQLite file is not a hop. A connection is
/// named by its scheme or provider and host only, never with its credentials.
/// </summary>
internal sealed class InsecureTransportCheck(IConfiguration configuration, IHostEnvironment? environment = null) : IValidateOptions<PaymentsOptions>
{
    private const string OptIn = "or set Payments__AllowInsecureTransport=true to accept it.";

    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        if (environment?.IsProduction() != true || options.AllowInsecureTransport)
            return ValidateOptionsResult.Skip;

        var failures = new List<string>();
        if (Enum.TryParse<DatabaseProvider>(options.Database, ignoreCase: true, out var database)
            && DatabaseHop(database, configuration.GetConnectionString("Payments")) is { } databaseFailure)
        {
            failures.Add(databaseFailure);
        }

        if (Enum.TryParse<TransportKind>(options.Transport, ignoreCase: true, out var transport) && transport == TransportKind.RabbitMq
            && Uri.TryCreate(configuration.GetConnectionString("RabbitMq"), UriKind.Absolute, out var broker)
            && broker.Scheme is "amqp" or "rabbitmq")
        {
            failures.Add($"ConnectionStrings__RabbitMq is {broker.Scheme}://{broker.Host} without TLS in the Production environment. "
                + $"Use amqps:// (Payments__RabbitMq__CaCertificatePath for a private CA), {OptIn}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? DatabaseHop(DatabaseProvider database, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return null;
        try
        {
            switch (database)
            {
                case DatabaseProvider.PostgreSql:
                    var postgres = new NpgsqlConnectionStringBuilder(connectionString);
                    return postgres.SslMode is SslMode.Disable or SslMode.Allow
                        ? $"ConnectionStrings__Payments (PostgreSql, host {postgres.Host}) has SSL Mode={postgres.SslMode} in the Production "
                            + $"environment. Use SSL Mode=VerifyFull (or Require), {OptIn}"
                        : null;
                case DatabaseProvider.SqlServer:
                    var sqlServer = new SqlConnectionStringBuilder(connectionString);
                    var host = sqlServer.DataSource;
                    if (sqlServer.Encrypt == SqlConnectionEncryptOption.Optional)
                        return $"ConnectionStrings__Payments (SqlServer, host {host}) has Encrypt=False in the Production environment. "
                            + $"Use Encrypt=True (or Strict), {OptIn}";
                    return sqlServer.TrustServerCertificate
                        ? $"ConnectionStrings__Payments (SqlServer, host {host}) has TrustServerCertificate=true in the Production environment, "
                            + $"which accepts any certificate. Trust the server's CA instead, {OptIn}"
                        : null;
                default:
                    return null;
            }
        }
        catch (ArgumentException)
        {
            // Not a connection string the provider can read; the provider reports that when it connects, and the
            // value (which may hold a password) is not echoed here.
            return null;
        }
    }
}
