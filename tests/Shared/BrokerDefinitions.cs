using System.Text.Json;

namespace Payments.Workflows.Testing;

/// <summary>
/// The broker users and permissions of <c>infra/rabbitmq/definitions.json</c>, read from the checkout, so tests hold
/// the file itself to account (and give per-test users exactly its permissions).
/// </summary>
public static class BrokerDefinitions
{
    public const string ServiceUser = "payments-service";
    public const string PublisherUser = "payments-publisher";
    public const string OpsUser = "payments-ops";

    /// <summary>The path of a file of the repository, found by walking up from the test's output folder.</summary>
    public static string RepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.Workflows.sln")))
                return Path.Combine(directory.FullName, relativePath);
        }

        throw new FileNotFoundException($"No Payments.Workflows.sln above {AppContext.BaseDirectory}; cannot find {relativePath}.");
    }

    public static JsonElement Read()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFile("infra/rabbitmq/definitions.json")));
        return document.RootElement.Clone();
    }

    /// <summary>The tags of <paramref name="user"/>, or null when the definitions do not create it.</summary>
    public static IReadOnlyList<string>? TagsOf(string user) =>
        Read().GetProperty("users").EnumerateArray()
            .Where(u => u.GetProperty("name").GetString() == user)
            .Select(u => (IReadOnlyList<string>)[.. u.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)])
            .FirstOrDefault();

    /// <summary>Every (virtual host, configure, write, read) the definitions give <paramref name="user"/>.</summary>
    public static IReadOnlyList<BrokerPermission> PermissionsOf(string user) =>
    [
        .. Read().GetProperty("permissions").EnumerateArray()
            .Where(p => p.GetProperty("user").GetString() == user)
            .Select(p => new BrokerPermission(
                p.GetProperty("vhost").GetString()!,
                p.GetProperty("configure").GetString()!,
                p.GetProperty("write").GetString()!,
                p.GetProperty("read").GetString()!)),
    ];
}
