namespace Payments.Workflows.Testing.Servers;

/// <summary>A server the integration tests need is neither configured nor startable with Docker.</summary>
public sealed class ServerUnavailableException : Exception
{
    public ServerUnavailableException()
    {
    }

    public ServerUnavailableException(string message)
        : base(message)
    {
    }

    public ServerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
