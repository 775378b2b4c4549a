using System.Text;

namespace Payments.Workflows.Testing.Servers;

/// <summary>Names for per-test databases and virtual hosts: readable prefix, unique suffix.</summary>
internal static class UniqueName
{
    private const int MaxPrefixLength = 40;

    /// <summary>
    /// <paramref name="prefix"/> lower-cased, reduced to [a-z0-9_] and cut to 40 characters, then
    /// <paramref name="separator"/> and 12 random hex digits: valid unquoted in PostgreSQL and SQL Server,
    /// and needing no escaping in a URI path.
    /// </summary>
    public static string Create(string prefix, char separator = '_')
    {
        var builder = new StringBuilder(MaxPrefixLength + 13);
        foreach (var c in prefix.ToLowerInvariant())
        {
            if (builder.Length == MaxPrefixLength)
            {
                break;
            }

            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_');
        }

        if (builder.Length == 0 || builder[0] is >= '0' and <= '9')
        {
            builder.Insert(0, 't');
        }

        return builder.Append(separator).Append(Guid.NewGuid().ToString("N").AsSpan(0, 12)).ToString();
    }
}
