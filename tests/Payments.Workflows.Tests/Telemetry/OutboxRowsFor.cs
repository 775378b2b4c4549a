using Payments.Workflows.Messaging.Persistence;
using Payments.Workflows.Testing.Messaging.Scenarios.Support;

namespace Payments.Workflows.Tests.Telemetry;

/// <summary>Outbox rows written the way the API writes them: through the scoped bus outbox, committed with SaveChanges.</summary>
internal static class OutboxRowsFor
{
    /// <summary>Writes <paramref name="count"/> rows to <paramref name="destination"/>, due now or after <paramref name="delay"/>.</summary>
    public static async Task<IReadOnlyList<string>> Send(IServiceProvider services, Uri destination, int count, TimeSpan? delay = null)
    {
        await using var scope = services.CreateAsyncScope();
        var endpoint = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(destination);
        var keys = Enumerable.Range(0, count).Select(_ => $"row-{Guid.NewGuid():N}").ToList();
        foreach (var key in keys)
        {
            await endpoint.Send(new WorkDone { Key = key }, c =>
            {
                if (delay is { } d)
                    c.Delay = d;
            });
        }

        await scope.ServiceProvider.GetRequiredService<PaymentsDbContext>().SaveChangesAsync();
        return keys;
    }

    /// <summary>Spoils the headers of the newest due row, so every attempt to send it fails; returns its sequence number.</summary>
    public static async Task<long> BreakOne(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var row = await db.Set<OutboxMessage>().Where(r => r.ScheduledTime == null).OrderByDescending(r => r.SequenceNumber).FirstAsync();
        row.Headers = "{ not json";
        await db.SaveChangesAsync();
        return row.SequenceNumber;
    }
}
