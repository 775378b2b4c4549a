using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Payments.Workflows.Components.Configuration;

/// <summary>
/// What a start-up error may say about a connection string: its scheme and host at most, never the rest. A password
/// can sit anywhere in a mistyped value (<c>payments:S3cret@rabbit</c> parses as the scheme <c>payments</c>), and a
/// parser's own message can quote part of it (<c>Password=S3;cret=x</c> is "keyword not supported: 'cret'"), so
/// neither the value nor a parser's message is ever shown.
/// </summary>
internal static class ConnectionStringReport
{
    // Schemes that cannot be the user name of a URI whose scheme was forgotten, so naming them gives nothing away.
    private static readonly HashSet<string> KnownSchemes =
        new(["amqp", "amqps", "rabbitmq", "rabbitmqs", "http", "https", "tcp", "postgres", "postgresql"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The value as an error message may describe it: "an amqp:// URI for host rabbit", or less.</summary>
    public static string DescribeUri(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return "nothing";
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && KnownSchemes.Contains(uri.Scheme))
            return uri.Host.Length > 0 ? $"a {uri.Scheme}:// URI for host {uri.Host}" : $"a {uri.Scheme}: URI without a host";
        return "a value that is not such a URI (not shown: it may hold a password)";
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a connection string <paramref name="provider"/>'s client accepts; parsed here so
    /// that a bad one fails start-up with this message instead of the client's, which may quote the value.
    /// </summary>
    public static bool IsValid(DatabaseProvider provider, string value)
    {
        try
        {
            DbConnectionStringBuilder builder = provider switch
            {
                DatabaseProvider.PostgreSql => new NpgsqlConnectionStringBuilder(),
                DatabaseProvider.SqlServer => new SqlConnectionStringBuilder(),
                _ => new SqliteConnectionStringBuilder(),
            };
            builder.ConnectionString = value;
            return true;
        }
        catch (Exception)
        {
            // Whatever the client throws: its message is exactly what must not reach the start-up error.
            return false;
        }
    }
}
