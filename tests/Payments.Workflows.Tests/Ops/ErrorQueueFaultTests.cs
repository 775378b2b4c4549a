using System.Text;
using Microsoft.Extensions.Options;
using Payments.Workflows.Service.Ops;
using Payments.Workflows.Tests.Api;
using RabbitMQ.Client;

namespace Payments.Workflows.Tests.Ops;

/// <summary>
/// What the error-queue view reads from a failed message (grouping keys, sample, what a replay resends), and its one
/// setting, checked at start-up. Over RabbitMQ the routes are covered by the integration tier (ErrorQueueOpsTests).
/// </summary>
public sealed class ErrorQueueFaultTests
{
    private const string Secret = "S3cretOpsPassword";

    [Fact]
    public void A_MassTransit_fault_is_grouped_by_its_exception_and_message_type_and_its_reason_is_cut_to_200_characters()
    {
        var properties = new BasicProperties
        {
            MessageId = "m-1",
            ContentType = "application/vnd.masstransit+json",
            Headers = new Dictionary<string, object?>
            {
                ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes("System.TimeoutException"),
                ["MT-Fault-MessageType"] = Encoding.UTF8.GetBytes("urn:message:Payments.Workflows.Contracts:AuthorisePayment"),
                ["MT-Fault-Message"] = Encoding.UTF8.GetBytes(new string('r', 500)),
            },
        };

        var failed = FailedMessage.Read(properties, Encoding.UTF8.GetBytes("""{"messageId":"other","messageType":["urn:message:X"]}"""));

        Assert.Equal(("m-1", "System.TimeoutException", "urn:message:Payments.Workflows.Contracts:AuthorisePayment"),
            (failed.MessageId, failed.ExceptionType, failed.MessageType));
        Assert.Equal(new string('r', 200), failed.Reason);
    }

    [Fact]
    public void Without_fault_headers_the_envelope_gives_the_id_and_type_and_the_broker_s_dead_letter_reason_stands_for_the_exception()
    {
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            Headers = new Dictionary<string, object?> { ["x-first-death-reason"] = Encoding.UTF8.GetBytes("delivery_limit") },
        };

        var failed = FailedMessage.Read(properties, Encoding.UTF8.GetBytes("""{"messageId":"env-1","messageType":["urn:message:A","urn:message:B"]}"""));
        var notJson = FailedMessage.Read(new BasicProperties { ContentType = "application/vnd.masstransit+json" }, Encoding.UTF8.GetBytes("not json"));

        Assert.Equal(("env-1", "(dead-lettered by the broker: delivery_limit)", "urn:message:A", (string?)null),
            (failed.MessageId, failed.ExceptionType, failed.MessageType, failed.Reason));
        Assert.Equal((null, FailedMessage.Unknown, FailedMessage.Unknown), (notJson.MessageId, notJson.ExceptionType, notJson.MessageType));
    }

    [Fact]
    public void A_replay_resends_the_message_s_own_headers_without_the_ones_its_failure_added()
    {
        var headers = new Dictionary<string, object?>
        {
            ["MT-Fault-ExceptionType"] = "E", ["MT-Fault-Message"] = "m", ["MT-Fault-StackTrace"] = "s", ["mt-fault-timestamp"] = "t",
            ["MT-Reason"] = "fault", ["MT-Activity-Id"] = "a", ["tenant"] = "t1",
        };

        Assert.Equal(["MT-Activity-Id", "tenant"], FailedMessage.ResendHeaders(headers)!.Keys.Order());
    }

    [Fact]
    public void Only_names_ending_in_error_with_a_queue_before_them_are_error_queue_names()
    {
        Assert.True(ErrorQueueClient.IsErrorQueueName("payment-state_error"));
        Assert.False(ErrorQueueClient.IsErrorQueueName("payment-state"));
        Assert.False(ErrorQueueClient.IsErrorQueueName("_error"));
        Assert.False(ErrorQueueClient.IsErrorQueueName("payment-state_error_skipped"));
        Assert.False(ErrorQueueClient.IsErrorQueueName(new string('q', 250) + "_error"));
    }

    [Fact]
    public async Task A_management_setting_that_is_not_an_http_URI_stops_start_up_naming_it_without_showing_it()
    {
        await using var factory = new PaymentsApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMqManagement"] = $"amqp://payments-ops:{Secret}@rabbit.internal:5672/",
        });

        var error = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(error);
        var validation = Assert.IsType<OptionsValidationException>(Innermost(error));
        Assert.Contains("ConnectionStrings__RabbitMqManagement", validation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    private static OptionsValidationException? Innermost(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is OptionsValidationException found)
                return found;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Innermost).FirstOrDefault(f => f is not null) is { } inner)
                return inner;
        }

        return null;
    }
}
