using System.Diagnostics;

namespace Payments.Workflows.Testing;

/// <summary>The spans one payment authorisation's trace must hold, from the HTTP request to the PaymentAuthorised publish.</summary>
public static class TraceSteps
{
    private static readonly (string Step, Func<Activity, bool> Found)[] Steps =
    [
        ("the POST /payments request", a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server),
        ("our outbox dispatching the row", a => a.Source.Name == "Payments.Workflows.Messaging" && a.OperationName == "outbox dispatch"),
        ("the saga consuming AuthorisePayment on payment-state", a => Consumed(a, "payment-state", "AuthorisePayment")),
        ("the acquirer consumer on acquirer-authorisation", a => Consumed(a, "acquirer-authorisation", "RequestAcquirerAuthorisation")),
        ("the saga consuming the acquirer's answer", a => Consumed(a, "payment-state", "AcquirerAuthorisationCompleted")),
        ("PaymentAuthorised being published", a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer
            && Tag(a, "messaging.masstransit.message_types").Contains("PaymentAuthorised", StringComparison.Ordinal)),
    ];

    /// <summary>The steps of which <paramref name="trace"/> has no span.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<Activity> trace) =>
        [.. Steps.Where(s => !trace.Any(s.Found)).Select(s => s.Step)];

    /// <summary>One line per span: source, kind, name and tags.</summary>
    public static string Describe(IReadOnlyList<Activity> trace) =>
        string.Join(Environment.NewLine, trace.Select(a =>
            $"  {a.Source.Name} {a.Kind} '{a.DisplayName}' {string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"));

    private static bool Consumed(Activity activity, string queue, string messageType) =>
        activity.Source.Name == "MassTransit" && activity.Kind == ActivityKind.Consumer
        && Tag(activity, "messaging.destination.name") == queue
        && Tag(activity, "messaging.masstransit.message_types").Contains(messageType, StringComparison.Ordinal);

    private static string Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString() ?? "";
}
