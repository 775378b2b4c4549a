using System.Diagnostics;
using MassTransit.Logging;

namespace Payments.Workflows.Messaging.Delivery;

/// <summary>
/// ActivitySource <c>Payments.Workflows.Messaging</c>: the spans of our own outbox delivery. A pass is one
/// <c>outbox deliver</c> span; each row it sends gets an <c>outbox dispatch</c> span whose parent is the activity
/// that wrote the row (MassTransit's <c>MT-Activity-Id</c> header, stored with the row), so the trace that began with
/// an HTTP request or a consumed message goes on through the broker, however late the row is sent.
/// </summary>
public static class MessagingActivities
{
    public const string SourceName = "Payments.Workflows.Messaging";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>One delivery pass (claim, send, commit). A root span: its rows belong to the traces that wrote them.</summary>
    internal static Activity? StartDeliver() =>
        Source.StartActivity("outbox deliver", ActivityKind.Internal, parentContext: default);

    /// <summary>
    /// One row's send, a child of the activity that wrote the row and linked to the pass that sends it. While it is
    /// current, MassTransit's send activity (and so the consumer at the other end) joins the row's trace.
    /// </summary>
    internal static Activity? StartDispatch(Persistence.OutboxMessage row, Activity? deliver)
    {
        if (!Source.HasListeners())
            return null;

        MessageContext message = row;
        var parent = ParentOf(message.Headers);
        ActivityLink[]? links = deliver is null ? null : [new ActivityLink(deliver.Context)];
        var activity = Source.StartActivity("outbox dispatch", ActivityKind.Producer, parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.message.id", row.MessageId.ToString("D"));
            activity.SetTag("messaging.destination.name", row.DestinationAddress?.AbsolutePath.Trim('/'));
            activity.SetTag("payments.outbox.sequence_number", row.SequenceNumber);
            activity.SetTag("payments.outbox.attempt", row.DeliveryAttempts + 1);
            if (row.ScheduledTime is not null)
                activity.SetTag("payments.outbox.scheduled", true);
        }

        return activity;
    }

    private static ActivityContext ParentOf(Headers headers) =>
        headers.TryGetHeader(DiagnosticHeaders.ActivityId, out var value) && value is string id
        && ActivityContext.TryParse(id, traceState: null, isRemote: true, out var context)
            ? context
            : default;
}
