namespace Payments.Workflows.Components.RawCommands;

/// <summary>Where publishers without our contracts send commands, and the queues that read them.</summary>
internal static class RawCommandTopology
{
    /// <summary>A durable direct exchange; the routing key names the command.</summary>
    public const string Exchange = "payments.commands";

    /// <summary>The queue that reads one routing key, e.g. raw-authorise-payment.</summary>
    public static string QueueFor(string routingKey) => $"raw-{routingKey}";
}
