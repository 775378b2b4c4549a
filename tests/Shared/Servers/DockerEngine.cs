using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Payments.Workflows.Testing.Servers;

/// <summary>Starts a Testcontainers container when a Docker engine answers.</summary>
internal static class DockerEngine
{
    /// <summary>
    /// The started container, or null when no Docker engine answers (Testcontainers' Build() throws
    /// <see cref="DockerUnavailableException"/> when none of its endpoint providers can ping one).
    /// </summary>
    public static async Task<TContainer?> TryStartAsync<TContainer>(
        Func<TContainer> build,
        string whatFor,
        CancellationToken cancellationToken)
        where TContainer : class, IContainer
    {
        TContainer container;
        try
        {
            container = build();
        }
        catch (DockerUnavailableException)
        {
            return null;
        }

        try
        {
            await container.StartAsync(cancellationToken);
            return container;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await container.DisposeAsync();
            throw new ServerUnavailableException(
                $"A Docker engine answered but the {whatFor} container ({container.Image.FullName}) did not start: {exception.Message}",
                exception);
        }
    }
}
